package dev.vitmae.cli;

import dev.vitmae.datasets.ImageSource;

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
}
