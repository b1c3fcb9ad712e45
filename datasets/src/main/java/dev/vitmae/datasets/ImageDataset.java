package dev.vitmae.datasets;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Square images held in memory as unsigned bytes of shape {@code [count, channels, size, size]}
 * (NCHW, row-major), with optional class labels. Floats are {@code byte / 255f}.
 *
 * <p>Immutable and safe to share between threads (the arrays given are not copied: do not change
 * them afterwards).
 */
public final class ImageDataset implements ImageSource {
  /** The ten class names of Fashion-MNIST, in label order. */
  public static final List<String> FASHION_MNIST_CLASSES =
      List.of(
          "T-shirt/top",
          "Trouser",
          "Pullover",
          "Dress",
          "Coat",
          "Sandal",
          "Shirt",
          "Sneaker",
          "Bag",
          "Ankle boot");

  /** The ten class names of MNIST: the digits themselves. */
  public static final List<String> DIGIT_CLASSES =
      List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

  private final String name;
  private final int count;
  private final int channels;
  private final int size;
  private final byte[] pixels;
  private final int[] labels;
  private final int numClasses;
  private final List<String> classNames;

  private ImageDataset(
      String name,
      int count,
      int channels,
      int size,
      byte[] pixels,
      int[] labels,
      int numClasses,
      List<String> classNames) {
    this.name = Objects.requireNonNull(name, "name");
    if (count <= 0 || channels <= 0 || size <= 0) {
      throw new IllegalArgumentException(
          name
              + ": dimensions must be positive, got count="
              + count
              + " channels="
              + channels
              + " size="
              + size);
    }
    if ((long) pixels.length != (long) count * channels * size * size) {
      throw new IllegalArgumentException(
          name
              + ": expected "
              + (long) count * channels * size * size
              + " pixel bytes for "
              + count
              + " images of "
              + channels
              + "x"
              + size
              + "x"
              + size
              + ", got "
              + pixels.length);
    }
    if (labels != null) Labels.check(name, count, labels, numClasses, classNames);
    this.count = count;
    this.channels = channels;
    this.size = size;
    this.pixels = pixels;
    this.labels = labels;
    this.numClasses = labels == null ? 0 : numClasses;
    this.classNames = labels == null ? List.of() : List.copyOf(classNames);
  }

  /**
   * Unlabelled images.
   *
   * @throws IllegalArgumentException if {@code pixels} is not {@code count·channels·size²} bytes
   */
  public static ImageDataset unlabelled(String name, int channels, int size, byte[] pixels) {
    long per = (long) channels * size * size;
    int count = per == 0 ? 0 : (int) (pixels.length / per);
    return new ImageDataset(name, count, channels, size, pixels, null, 0, List.of());
  }

  /**
   * Labelled images; {@code classNames} may be empty (names unknown) or name every class.
   *
   * @throws IllegalArgumentException if shapes disagree or a label is outside {@code
   *     0..numClasses-1}
   */
  public static ImageDataset labelled(
      String name,
      int channels,
      int size,
      byte[] pixels,
      int[] labels,
      int numClasses,
      List<String> classNames) {
    long per = (long) channels * size * size;
    int count = per == 0 ? 0 : (int) (pixels.length / per);
    return new ImageDataset(
        name,
        count,
        channels,
        size,
        pixels,
        Objects.requireNonNull(labels),
        numClasses,
        classNames);
  }

  /**
   * One-channel square images from an IDX file, labelled with {@code classNames.size()} classes.
   */
  public static ImageDataset of(
      String name, ImageArray images, byte[] labels, List<String> classNames) {
    if (images.rows() != images.cols()) {
      throw new IllegalArgumentException(
          name + ": images must be square, got " + images.rows() + "x" + images.cols());
    }
    return labelled(
        name, 1, images.rows(), images.pixels(), unsigned(labels), classNames.size(), classNames);
  }

  /**
   * Reads an IDX image file and its label file.
   *
   * @throws IdxFormatException if either file is malformed, the counts differ, or a label is not
   *     below {@code classNames.size()}
   */
  public static ImageDataset fromIdx(String name, Path images, Path labels, List<String> classNames)
      throws IOException {
    ImageArray imageArray = Idx.readImages(images);
    byte[] labelBytes = Idx.readLabels(labels);
    if (labelBytes.length != imageArray.count()) {
      throw new IdxFormatException(
          labels,
          "dimension 0 (count)",
          4,
          labelBytes.length
              + " labels do not match the "
              + imageArray.count()
              + " images in "
              + images);
    }
    int[] values = unsigned(labelBytes);
    int bad = Labels.firstBad(values, classNames.size());
    if (bad >= 0) {
      throw new IdxFormatException(
          labels,
          "label " + bad,
          8L + bad,
          "value " + values[bad] + " is outside 0.." + (classNames.size() - 1));
    }
    return of(name, imageArray, labelBytes, classNames);
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

  /** The raw pixel bytes, {@code [count, channels, size, size]} (not a copy: do not modify). */
  public byte[] pixels() {
    return pixels;
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

  /** Pixel {@code index} (within {@code [channels, size, size]}) of an image, in [0, 1]. */
  public float pixel01(int image, int index) {
    Objects.checkIndex(index, valuesPerImage());
    return (pixels[Objects.checkIndex(image, count) * valuesPerImage() + index] & 0xff) / 255f;
  }

  @Override
  public void fill(int[] indices, float[] dst, int offset) {
    ImageSource.checkDestination(this, indices.length, dst, offset);
    int per = valuesPerImage();
    for (int k = 0; k < indices.length; k++) {
      int src = Objects.checkIndex(indices[k], count) * per;
      int to = offset + k * per;
      for (int j = 0; j < per; j++) dst[to + j] = (pixels[src + j] & 0xff) / 255f;
    }
  }

  /**
   * Images {@code [from, to)} as a new dataset (copied); throws if the range is empty or out of
   * bounds.
   */
  public ImageDataset subset(int from, int to) {
    Objects.checkFromToIndex(from, to, count);
    if (from == to) throw new IllegalArgumentException(name + ": empty subset " + from);
    int per = valuesPerImage();
    byte[] px = Arrays.copyOfRange(pixels, from * per, to * per);
    return labels == null
        ? unlabelled(name, channels, size, px)
        : labelled(
            name, channels, size, px, Arrays.copyOfRange(labels, from, to), numClasses, classNames);
  }

  @Override
  public String toString() {
    return "ImageDataset["
        + name
        + ": "
        + count
        + "x"
        + channels
        + "x"
        + size
        + "x"
        + size
        + (labels == null ? ", unlabelled" : ", " + numClasses + " classes")
        + "]";
  }

  static int[] unsigned(byte[] bytes) {
    int[] out = new int[bytes.length];
    for (int i = 0; i < bytes.length; i++) out[i] = bytes[i] & 0xff;
    return out;
  }
}
