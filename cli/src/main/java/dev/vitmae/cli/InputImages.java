package dev.vitmae.cli;

import dev.vitmae.datasets.ImageSource;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Images to run a model on: a source already at the model's size (a dataset split, an IDX file, or
 * image files put through the model's preprocessing), with labels when known and file names when
 * read from files.
 *
 * @param source what the images were read from, for messages ("synthetic-test", a file name)
 * @param labels one class id per image, or null when unknown
 * @param files the image files, in order, or null for datasets
 */
record InputImages(String source, ImageSource images, int[] labels, List<Path> files) {

  InputImages {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(images, "images");
    if (labels != null && labels.length != images.count()) {
      throw new IllegalArgumentException(
          source + ": " + labels.length + " labels for " + images.count() + " images");
    }
  }

  int count() {
    return images.count();
  }

  int channels() {
    return images.channels();
  }

  int size() {
    return images.imageSize();
  }

  /** Floats per image, {@code channels * size * size}. */
  int valuesPerImage() {
    return images.valuesPerImage();
  }

  /** Image {@code i} for messages: its file, else its index in the source. */
  String describe(int i) {
    return files != null && i < files.size()
        ? files.get(i).toString()
        : "image " + i + " of " + source;
  }

  boolean labelled() {
    return labels != null;
  }

  /** Images {@code [from, to)} as NCHW floats in [0, 1], written into {@code dst} from index 0. */
  void copy(int from, int to, float[] dst) {
    Objects.checkFromToIndex(from, to, count());
    int[] idx = new int[to - from];
    for (int i = 0; i < idx.length; i++) idx[i] = from + i;
    images.fill(idx, dst, 0);
  }
}
