package dev.vitmae.datasets;

import dev.vitmae.images.Augmentation;
import dev.vitmae.images.BadImageException;
import dev.vitmae.images.ImageDecoder;
import dev.vitmae.images.Preprocessing;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Image files decoded and preprocessed on every {@link #fill} (nothing is held in memory unless the
 * in-memory cache is on, which keeps each decoded image after its first read). Built by {@link
 * ImageFolder}. Safe for concurrent {@code fill} calls.
 *
 * <p>{@link #forEpoch} returns the augmented view when an {@link Augmentation} is configured: image
 * {@code i} of epoch {@code e} is cropped and flipped by {@code Augmentation.random(seed, e, i)}.
 * The source itself always gives the plain preprocessing (evaluation, probing, serving).
 */
public final class ImageFolderSource implements ImageSource {
  private final String name;
  private final List<Path> files;
  private final int[] labels;
  private final List<String> classNames;
  private final Preprocessing preprocessing;
  private final ImageDecoder decoder;
  private final Augmentation augmentation;
  private final Map<Integer, BufferedImage> cache;
  private final BadImageReport report;
  private final long seed;
  private final int epoch;

  ImageFolderSource(
      String name,
      List<Path> files,
      int[] labels,
      List<String> classNames,
      Preprocessing preprocessing,
      ImageDecoder decoder,
      Augmentation augmentation,
      Map<Integer, BufferedImage> cache,
      BadImageReport report) {
    this(
        name,
        files,
        labels,
        classNames,
        preprocessing,
        decoder,
        augmentation,
        cache,
        report,
        0,
        -1);
  }

  private ImageFolderSource(
      String name,
      List<Path> files,
      int[] labels,
      List<String> classNames,
      Preprocessing preprocessing,
      ImageDecoder decoder,
      Augmentation augmentation,
      Map<Integer, BufferedImage> cache,
      BadImageReport report,
      long seed,
      int epoch) {
    if (files.isEmpty()) throw new IllegalArgumentException(name + ": no images");
    if (labels != null && labels.length != files.size()) {
      throw new IllegalArgumentException(
          name + ": " + labels.length + " labels for " + files.size() + " files");
    }
    this.name = Objects.requireNonNull(name, "name");
    this.files = List.copyOf(files);
    this.labels = labels;
    this.classNames = List.copyOf(classNames);
    this.preprocessing = Objects.requireNonNull(preprocessing, "preprocessing");
    this.decoder = Objects.requireNonNull(decoder, "decoder");
    this.augmentation = augmentation;
    this.cache = cache;
    this.report = report;
    this.seed = seed;
    this.epoch = epoch;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int count() {
    return files.size();
  }

  @Override
  public int channels() {
    return preprocessing.channels();
  }

  @Override
  public int imageSize() {
    return preprocessing.imageSize();
  }

  @Override
  public int numClasses() {
    return labels == null ? 0 : classNames.size();
  }

  @Override
  public List<String> classNames() {
    return labels == null ? List.of() : classNames;
  }

  @Override
  public int label(int i) {
    if (labels == null) throw new IllegalStateException(name + " has no labels (a flat folder)");
    return labels[Objects.checkIndex(i, labels.length)];
  }

  /** The file of image {@code i}. */
  public Path file(int i) {
    return files.get(i);
  }

  /** Every file, in index order. */
  public List<Path> files() {
    return files;
  }

  /** The preprocessing every image goes through (recorded in checkpoints and ONNX metadata). */
  public Preprocessing preprocessing() {
    return preprocessing;
  }

  /** The training augmentation of {@link #forEpoch}, if any. */
  public Optional<Augmentation> augmentation() {
    return Optional.ofNullable(augmentation);
  }

  /** This folder's preprocessing, augmentation and class names. */
  @Override
  public Provenance provenance() {
    return new Provenance(preprocessing, augmentation, classNames());
  }

  /** The files skipped as bad when the source was built (empty unless skip-bad-images). */
  public BadImageReport badImages() {
    return report;
  }

  /** Whether this is an augmented per-epoch view. */
  public boolean isAugmentedView() {
    return epoch >= 0;
  }

  @Override
  public ImageSource forEpoch(long runSeed, int runEpoch) {
    if (augmentation == null) return this;
    if (runEpoch < 0) throw new IllegalArgumentException("epoch must be >= 0, got " + runEpoch);
    return new ImageFolderSource(
        name,
        files,
        labels,
        classNames,
        preprocessing,
        decoder,
        augmentation,
        cache,
        report,
        runSeed,
        runEpoch);
  }

  /**
   * @throws ImageSourceException naming the source, the file and the reason when a file cannot be
   *     decoded
   */
  @Override
  public void fill(int[] indices, float[] dst, int offset) {
    ImageSource.checkDestination(this, indices.length, dst, offset);
    int per = valuesPerImage();
    for (int k = 0; k < indices.length; k++) {
      int i = Objects.checkIndex(indices[k], files.size());
      BufferedImage image = decoded(i);
      if (epoch >= 0) {
        preprocessing.applyAugmented(
            image, augmentation, Augmentation.random(seed, epoch, i), dst, offset + k * per);
      } else {
        preprocessing.apply(image, dst, offset + k * per);
      }
    }
  }

  /** The decoded image {@code i} (from the cache when on). */
  BufferedImage decoded(int i) {
    if (cache != null) {
      BufferedImage hit = cache.get(i);
      if (hit != null) return hit;
    }
    try {
      BufferedImage image = decoder.read(files.get(i));
      if (cache != null) cache.put(i, image);
      return image;
    } catch (BadImageException e) {
      throw new ImageSourceException(name + ": image " + i + ": " + e.getMessage(), e);
    }
  }

  static Map<Integer, BufferedImage> newCache() {
    return new ConcurrentHashMap<>();
  }

  @Override
  public String toString() {
    return "ImageFolderSource["
        + name
        + ": "
        + count()
        + " files -> "
        + preprocessing
        + (labels == null ? ", unlabelled" : ", " + classNames.size() + " classes")
        + (augmentation == null ? "" : ", train view " + augmentation)
        + "]";
  }
}
