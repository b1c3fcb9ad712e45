package dev.vitmae.datasets;

import java.util.List;
import java.util.Objects;

/**
 * Square images given as floats in [0, 1], {@code [count, channels, size, size]} (NCHW, row-major),
 * with optional labels: the source for images a program already holds in memory.
 *
 * <pre>{@code
 * ImageSource images = FloatImages.of(pixels, 3, 32);              // unlabelled RGB 32×32
 * ImageSource labelled = FloatImages.of(pixels, 1, 28).withLabels(labels, 10);
 * }</pre>
 *
 * <p>The array is not copied: do not change it while the source is in use.
 */
public final class FloatImages implements ImageSource {
  private final String name;
  private final float[] pixels;
  private final int channels;
  private final int size;
  private final int count;
  private final int[] labels;
  private final int numClasses;
  private final List<String> classNames;

  private FloatImages(
      String name,
      float[] pixels,
      int channels,
      int size,
      int[] labels,
      int numClasses,
      List<String> classNames) {
    this.name = Objects.requireNonNull(name, "name");
    this.pixels = Objects.requireNonNull(pixels, "pixels");
    if (channels <= 0 || size <= 0) {
      throw new IllegalArgumentException(
          "channels and size must be > 0, got " + channels + ", " + size);
    }
    long per = (long) channels * size * size;
    if (pixels.length == 0 || pixels.length % per != 0) {
      throw new IllegalArgumentException(
          name
              + ": "
              + pixels.length
              + " floats are not a whole "
              + "number (> 0) of "
              + channels
              + "x"
              + size
              + "x"
              + size
              + " images");
    }
    this.channels = channels;
    this.size = size;
    this.count = (int) (pixels.length / per);
    if (labels != null) Labels.check(name, count, labels, numClasses, classNames);
    this.labels = labels;
    this.numClasses = labels == null ? 0 : numClasses;
    this.classNames = List.copyOf(classNames);
  }

  /** Unlabelled images: {@code pixels.length} must be a multiple of {@code channels·size²}. */
  public static FloatImages of(float[] pixels, int channels, int size) {
    return new FloatImages("images", pixels, channels, size, null, 0, List.of());
  }

  /** These images labelled with classes {@code 0..numClasses-1}. */
  public FloatImages withLabels(int[] labels, int numClasses) {
    return new FloatImages(name, pixels, channels, size, labels.clone(), numClasses, List.of());
  }

  /** These images labelled, with one name per class. */
  public FloatImages withLabels(int[] labels, List<String> classNames) {
    return new FloatImages(
        name, pixels, channels, size, labels.clone(), classNames.size(), classNames);
  }

  /** These images under another name (for messages and checkpoints). */
  public FloatImages named(String newName) {
    return new FloatImages(newName, pixels, channels, size, labels, numClasses, classNames);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int count() {
    return count;
  }

  @Override
  public int channels() {
    return channels;
  }

  @Override
  public int imageSize() {
    return size;
  }

  @Override
  public int numClasses() {
    return numClasses;
  }

  @Override
  public List<String> classNames() {
    return classNames;
  }

  @Override
  public int label(int i) {
    if (labels == null) throw new IllegalStateException(name + " has no labels");
    return labels[Objects.checkIndex(i, count)];
  }

  @Override
  public void fill(int[] indices, float[] dst, int offset) {
    ImageSource.checkDestination(this, indices.length, dst, offset);
    int per = valuesPerImage();
    for (int k = 0; k < indices.length; k++) {
      System.arraycopy(
          pixels, Objects.checkIndex(indices[k], count) * per, dst, offset + k * per, per);
    }
  }

  @Override
  public String toString() {
    return "FloatImages[" + name + ": " + count + "x" + channels + "x" + size + "x" + size + "]";
  }
}
