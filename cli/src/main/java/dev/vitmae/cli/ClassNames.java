package dev.vitmae.cli;

import dev.vitmae.contract.MetadataKey;
import dev.vitmae.datasets.ImageSource;
import java.util.Map;

/** Human names of classes, as the data source knows them. */
final class ClassNames {
  private ClassNames() {}

  /**
   * The name of class {@code label} of {@code data}: its class name when known, else the number.
   */
  static String of(ImageSource data, int label) {
    return label < data.classNames().size()
        ? data.classNames().get(label)
        : Integer.toString(label);
  }

  /** What a checkpoint records about the training data: the class names, when known. */
  static Map<String, String> info(ImageSource train) {
    Map<String, String> info = new java.util.LinkedHashMap<>();
    MetadataKey.putClassNames(info, train.classNames());
    return info;
  }
}
