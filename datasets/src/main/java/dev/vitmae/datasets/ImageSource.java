package dev.vitmae.datasets;

import java.util.List;
import java.util.Objects;

/**
 * Square images that training, evaluation, probing and export read by index: {@link #count()}
 * images of {@link #channels()} × {@link #imageSize()} × {@link #imageSize()} pixels, optionally
 * labelled with class ids {@code 0 .. numClasses()-1}.
 *
 * <p>Pixels are delivered as NCHW float32 in [0, 1] into caller-provided arrays ({@link #fill}),
 * whatever the source stores (bytes, floats, encoded files). Implementations must be safe for
 * concurrent {@code fill} calls from several threads (a loader fills batches ahead of the trainer).
 *
 * <p>Implementations: {@link ImageDataset} (bytes in memory, e.g. IDX files), {@link FloatImages}
 * (a {@code float[]}), and the file-backed sources of the image-folder and CIFAR-10 readers.
 */
public interface ImageSource {
  /** A short name for messages and checkpoints, e.g. {@code fashion-mnist-train}. */
  String name();

  /** Number of images. */
  int count();

  /** Channels per image (1 gray, 3 RGB). */
  int channels();

  /** Side length in pixels (images are square). */
  int imageSize();

  /** Floats per image: {@code channels × imageSize × imageSize}. */
  default int valuesPerImage() {
    return channels() * imageSize() * imageSize();
  }

  /**
   * Writes the images {@code indices} consecutively into {@code dst} from {@code offset}, each as
   * {@code [channels, imageSize, imageSize]} floats in [0, 1].
   *
   * @throws IndexOutOfBoundsException if an index is outside {@code [0, count)} or {@code dst} is
   *     too short
   * @throws ImageSourceException if an image cannot be read (file-backed sources)
   */
  void fill(int[] indices, float[] dst, int offset);

  /** Whether every image has a class label. */
  default boolean hasLabels() {
    return numClasses() > 0;
  }

  /** Number of classes, 0 when the source has no labels. */
  default int numClasses() {
    return 0;
  }

  /** Class names (index = class id) when known, else an empty list. */
  default List<String> classNames() {
    return List.of();
  }

  /**
   * What the pixels are: preprocessing, training augmentation and class names, recorded by the
   * trainer in checkpoints and by the exporter in ONNX metadata. By default {@link
   * Provenance#stored}: images held at the model's size, no augmentation; views (a selection, a
   * prefetching view) give their source's.
   */
  default Provenance provenance() {
    return Provenance.stored(this);
  }

  /**
   * The class id of image {@code i}.
   *
   * @throws IllegalStateException if the source has no labels
   */
  default int label(int i) {
    throw new IllegalStateException(name() + " has no labels");
  }

  /** Labels of the images {@code indices}, in order. */
  default int[] labels(int[] indices) {
    int[] out = new int[indices.length];
    for (int k = 0; k < indices.length; k++) out[k] = label(indices[k]);
    return out;
  }

  /** The labels of every image, in index order. */
  default int[] labels() {
    int[] out = new int[count()];
    for (int i = 0; i < out.length; i++) out[i] = label(i);
    return out;
  }

  /** Image {@code i} as a new {@code [channels, imageSize, imageSize]} array. */
  default float[] image(int i) {
    float[] out = new float[valuesPerImage()];
    fill(new int[] {i}, out, 0);
    return out;
  }

  /**
   * The view of this source that training reads in epoch {@code epoch} of a run seeded by {@code
   * seed}. Plain sources return themselves; an augmenting source returns a view whose random crops
   * and flips are a pure function of {@code (seed, epoch, image index)}, so a resumed run sees
   * exactly the pixels of an uninterrupted one.
   */
  default ImageSource forEpoch(long seed, int epoch) {
    return this;
  }

  /**
   * A view of the images {@code indices} of this source, in that order (labels follow).
   *
   * @throws IndexOutOfBoundsException if an index is outside {@code [0, count)}
   */
  default ImageSource select(int[] indices) {
    return new SelectedImages(this, indices, name());
  }

  /** A view of the first {@code n} images (all of them when {@code n >= count}). */
  default ImageSource head(int n) {
    if (n >= count()) return this;
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) idx[i] = i;
    return select(idx);
  }

  /** Checks {@code [offset, offset + n·valuesPerImage())} fits in {@code dst}. */
  static void checkDestination(ImageSource source, int n, float[] dst, int offset) {
    Objects.requireNonNull(dst, "dst");
    long needed = (long) n * source.valuesPerImage();
    if (offset < 0 || offset + needed > dst.length) {
      throw new IndexOutOfBoundsException(
          "dst holds "
              + dst.length
              + " floats but "
              + n
              + " images of "
              + source.name()
              + " need "
              + needed
              + " from offset "
              + offset);
    }
  }
}
