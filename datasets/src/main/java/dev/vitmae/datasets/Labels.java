package dev.vitmae.datasets;

import java.util.List;

/** The checks every in-memory labelled source makes of its labels, with the same messages. */
final class Labels {
  private Labels() {}

  /**
   * Checks that {@code labels} has one class id in {@code 0..numClasses-1} per image and that
   * {@code classNames} is empty or names every class.
   *
   * @throws IllegalArgumentException naming {@code source}, the image and the value
   */
  static void check(
      String source, int count, int[] labels, int numClasses, List<String> classNames) {
    if (labels.length != count) {
      throw new IllegalArgumentException(
          source + ": " + labels.length + " labels for " + count + " images");
    }
    if (numClasses <= 0) {
      throw new IllegalArgumentException(source + ": numClasses must be > 0, got " + numClasses);
    }
    int bad = firstBad(labels, numClasses);
    if (bad >= 0) {
      throw new IllegalArgumentException(
          source
              + ": label "
              + labels[bad]
              + " of image "
              + bad
              + " is outside 0.."
              + (numClasses - 1));
    }
    if (!classNames.isEmpty() && classNames.size() != numClasses) {
      throw new IllegalArgumentException(
          source + ": " + classNames.size() + " class names for " + numClasses + " classes");
    }
  }

  /** The first image whose label is outside {@code 0..numClasses-1}, or -1. */
  static int firstBad(int[] labels, int numClasses) {
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= numClasses) return i;
    }
    return -1;
  }
}
