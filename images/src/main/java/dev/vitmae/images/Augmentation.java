package dev.vitmae.images;

import dev.vitmae.contract.MetadataKey;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Training augmentation for self-supervised runs, as torchvision's {@code RandomResizedCrop(size,
 * scale, ratio)} followed by {@code RandomHorizontalFlip()}: a crop of a random area fraction in
 * {@code [minScale, maxScale]} of the image and a random aspect ratio (width / height) log-uniform
 * in {@code [minRatio, maxRatio]}, 10 tries, then torchvision's centre-crop fallback; the crop is
 * resized to the model size by {@link Preprocessing}. Every draw comes from {@link #random(long,
 * int, int)}, a pure function of (seed, epoch, image index), so a resumed run sees exactly the
 * pixels of an uninterrupted one.
 */
public record Augmentation(
    double minScale, double maxScale, double minRatio, double maxRatio, boolean horizontalFlip) {

  public Augmentation {
    if (!(minScale > 0 && minScale <= maxScale && maxScale <= 1)) {
      throw new IllegalArgumentException(
          "augmentation scale range must satisfy 0 < min <= max <= 1,"
              + " got ["
              + minScale
              + ", "
              + maxScale
              + "]");
    }
    if (!(minRatio > 0 && minRatio <= maxRatio && Double.isFinite(maxRatio))) {
      throw new IllegalArgumentException(
          "augmentation ratio range must satisfy 0 < min <= max,"
              + " got ["
              + minRatio
              + ", "
              + maxRatio
              + "]");
    }
  }

  /** MAE's pre-training augmentation: scale 0.2–1.0, ratio 3/4–4/3, horizontal flip. */
  public static Augmentation mae() {
    return new Augmentation(0.2, 1.0, 3.0 / 4, 4.0 / 3, true);
  }

  /** This augmentation with crops of at least {@code minScale} of the area. */
  public Augmentation withMinScale(double minScale) {
    return new Augmentation(minScale, maxScale, minRatio, maxRatio, horizontalFlip);
  }

  /**
   * The generator of image {@code index} in epoch {@code epoch} of a run seeded by {@code seed}.
   */
  public static SplittableRandom random(long seed, int epoch, int index) {
    return new SplittableRandom(mix(mix(mix(seed) + epoch) + index));
  }

  /**
   * Draws the crop (and flip) of a {@code width × height} image, torchvision's algorithm.
   *
   * @throws IllegalArgumentException if the image is empty
   */
  public Crop sample(int width, int height, SplittableRandom random) {
    if (width < 1 || height < 1)
      throw new IllegalArgumentException("empty image " + width + "x" + height);
    double area = (double) width * height;
    double logMin = Math.log(minRatio);
    double logMax = Math.log(maxRatio);
    Crop crop = null;
    for (int attempt = 0; attempt < 10 && crop == null; attempt++) {
      double target = area * uniform(random, minScale, maxScale);
      double ratio = Math.exp(uniform(random, logMin, logMax));
      int w = (int) Math.rint(Math.sqrt(target * ratio));
      int h = (int) Math.rint(Math.sqrt(target / ratio));
      if (w > 0 && w <= width && h > 0 && h <= height) {
        int top = random.nextInt(height - h + 1);
        int left = random.nextInt(width - w + 1);
        crop = new Crop(top, left, h, w, false);
      }
    }
    if (crop == null) crop = centerFallback(width, height);
    boolean flip = horizontalFlip && random.nextDouble() < 0.5;
    return new Crop(crop.top(), crop.left(), crop.height(), crop.width(), flip);
  }

  /**
   * Writes the augmented view of a planar float image, {@code [channels, size, size]} in [0, 1] at
   * {@code src[srcOffset..]}, into {@code dst} from {@code dstOffset} at the same size: the crop
   * {@link #sample} draws from {@code random}, resized back to {@code size × size} with {@link
   * Preprocessing}'s antialiased bilinear filter and mirrored when drawn. The augmentation of
   * images held in memory at the model's size (IDX, CIFAR-10, {@code float[]}); image files go
   * through {@link Preprocessing#applyAugmented}.
   *
   * @throws IndexOutOfBoundsException if either range lies outside its array
   */
  public void apply(
      float[] src,
      int srcOffset,
      int channels,
      int size,
      SplittableRandom random,
      float[] dst,
      int dstOffset) {
    int per = channels * size * size;
    java.util.Objects.checkFromIndexSize(srcOffset, per, src.length);
    java.util.Objects.checkFromIndexSize(dstOffset, per, dst.length);
    Crop crop = sample(size, size, random);
    Resampler.Kernel kx = Resampler.kernel(crop.left(), crop.width(), size, 0, size);
    Resampler.Kernel ky = Resampler.kernel(crop.top(), crop.height(), size, 0, size);
    int plane = size * size;
    Resampler.Rows rows =
        new Resampler.Rows() {
          @Override
          public int channels() {
            return channels;
          }

          @Override
          public int width() {
            return size;
          }

          @Override
          public void read(int y, int from, int to, float[] row) {
            for (int c = 0; c < channels; c++) {
              System.arraycopy(
                  src, srcOffset + c * plane + y * size + from, row, c * (to - from), to - from);
            }
          }
        };
    Resampler.resample(rows, kx, ky, dst, dstOffset);
    if (crop.flip()) Resampler.mirror(dst, dstOffset, channels, size);
  }

  /** The {@code vitmae.augmentation.*} keys describing this augmentation (for checkpoints). */
  public Map<String, String> toMetadata() {
    return Map.ofEntries(
        MetadataKey.AUGMENTATION_CROP_SCALE.entry(minScale + "," + maxScale),
        MetadataKey.AUGMENTATION_CROP_RATIO.entry(minRatio + "," + maxRatio),
        MetadataKey.AUGMENTATION_HORIZONTAL_FLIP.entry(horizontalFlip),
        MetadataKey.AUGMENTATION_SEEDING.entry("splittable-random(seed, epoch, index)"));
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "RandomResizedCrop(scale=(%s, %s), ratio=(%s, %s))%s",
        minScale,
        maxScale,
        minRatio,
        maxRatio,
        horizontalFlip ? " + RandomHorizontalFlip(0.5)" : "");
  }

  private Crop centerFallback(int width, int height) {
    double inRatio = (double) width / height;
    int w = width;
    int h = height;
    if (inRatio < minRatio) {
      h = (int) Math.rint(w / minRatio);
    } else if (inRatio > maxRatio) {
      w = (int) Math.rint(h * maxRatio);
    }
    h = Math.max(1, Math.min(h, height));
    w = Math.max(1, Math.min(w, width));
    return new Crop((height - h) / 2, (width - w) / 2, h, w, false);
  }

  private static double uniform(SplittableRandom random, double lo, double hi) {
    return lo + (hi - lo) * random.nextDouble();
  }

  /** SplitMix64's finalizer: spreads (seed, epoch, index) over the generator's seeds. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
