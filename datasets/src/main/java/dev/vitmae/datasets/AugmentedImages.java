package dev.vitmae.datasets;

import dev.vitmae.images.Augmentation;
import java.util.Objects;

/**
 * A source held at the model's size (IDX, CIFAR-10, a {@code float[]}) whose training views are
 * augmented: {@link #forEpoch(long, int)} returns the view in which image {@code i} of epoch {@code
 * e} is {@link Augmentation#apply cropped, resized back and flipped} by {@code
 * Augmentation.random(seed, e, i)}, so a resumed run reads exactly the pixels of an uninterrupted
 * one. The source itself ({@link #fill}, evaluation, probes) reads the stored pixels unchanged. An
 * image folder augments its decoded files instead ({@link ImageFolder.Builder#augment}).
 *
 * <pre>{@code
 * ImageSource train = AugmentedImages.of(FashionMnist.load(dir).train(), Augmentation.mae());
 * }</pre>
 */
public final class AugmentedImages extends ForwardingImages {
  private final Augmentation augmentation;
  private final long seed;
  private final int epoch; // -1: the source's own pixels

  private AugmentedImages(ImageSource source, Augmentation augmentation, long seed, int epoch) {
    super(source);
    this.augmentation = augmentation;
    this.seed = seed;
    this.epoch = epoch;
  }

  /**
   * {@code source} with training views augmented by {@code augmentation}.
   *
   * @throws IllegalArgumentException if {@code source} already augments its training views
   */
  public static AugmentedImages of(ImageSource source, Augmentation augmentation) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(augmentation, "augmentation");
    source
        .provenance()
        .augmentation()
        .ifPresent(
            a -> {
              throw new IllegalArgumentException(
                  source.name() + " already augments its training views (" + a + ")");
            });
    return new AugmentedImages(source, augmentation, 0, -1);
  }

  public Augmentation augmentation() {
    return augmentation;
  }

  @Override
  public ImageSource forEpoch(long runSeed, int runEpoch) {
    if (runEpoch < 0) throw new IllegalArgumentException("epoch must be >= 0, got " + runEpoch);
    return new AugmentedImages(source, augmentation, runSeed, runEpoch);
  }

  @Override
  public void fill(int[] indices, float[] dst, int offset) {
    if (epoch < 0) {
      source.fill(indices, dst, offset);
      return;
    }
    ImageSource.checkDestination(this, indices.length, dst, offset);
    int per = valuesPerImage();
    float[] stored = new float[per * indices.length];
    source.fill(indices, stored, 0);
    for (int k = 0; k < indices.length; k++) {
      augmentation.apply(
          stored,
          k * per,
          channels(),
          imageSize(),
          Augmentation.random(seed, epoch, indices[k]),
          dst,
          offset + k * per);
    }
  }

  @Override
  public Provenance provenance() {
    Provenance p = source.provenance();
    return new Provenance(p.preprocessing().orElse(null), augmentation, p.classNames());
  }

  @Override
  public String toString() {
    return "AugmentedImages["
        + source
        + (epoch < 0 ? "" : ", epoch " + epoch + " of seed " + seed)
        + ", train view "
        + augmentation
        + "]";
  }
}
