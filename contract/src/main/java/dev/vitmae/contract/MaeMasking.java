package dev.vitmae.contract;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Random patch masking as in MAE (vit-pytorch {@code mae.py}): per sample draw uniform noise per
 * patch, {@code argsort} it, hide the first {@code int(ratio * numPatches)} patches and encode the
 * rest.
 */
public final class MaeMasking {
  private MaeMasking() {}

  /** The reference MAE's masking ratio (lucidrains' MNIST MAE): 25% of the patches. */
  public static final double DEFAULT_RATIO = 0.25;

  /**
   * @throws IllegalArgumentException unless {@code ratio} is in [0, 1)
   */
  public static void checkRatio(double ratio) {
    if (!(ratio >= 0 && ratio < 1)) {
      throw new IllegalArgumentException("masking ratio must be in [0, 1), got " + ratio);
    }
  }

  /**
   * {@code (int) (ratio * numPatches)}, like the reference's {@code int(masking_ratio *
   * num_patches)}.
   *
   * @throws IllegalArgumentException if {@code numPatches <= 0} or {@code ratio} is not in [0, 1)
   */
  public static int numMasked(int numPatches, double ratio) {
    if (numPatches <= 0) {
      throw new IllegalArgumentException("numPatches must be positive, got " + numPatches);
    }
    checkRatio(ratio);
    return (int) (ratio * numPatches);
  }

  /** Masks for {@code batch} samples; a pure function of {@code seed}. */
  public static MaeMask sample(int batch, int numPatches, double ratio, long seed) {
    return sample(batch, numPatches, ratio, new SplittableRandom(seed));
  }

  /** Masks for {@code batch} samples, drawing from {@code rng}. */
  public static MaeMask sample(int batch, int numPatches, double ratio, SplittableRandom rng) {
    if (batch <= 0) {
      throw new IllegalArgumentException("batch must be positive, got " + batch);
    }
    int numMasked = numMasked(numPatches, ratio);
    int[][] masked = new int[batch][];
    int[][] visible = new int[batch][];
    for (int b = 0; b < batch; b++) {
      int[] order = argsortNoise(numPatches, rng);
      masked[b] = Arrays.copyOfRange(order, 0, numMasked);
      visible[b] = Arrays.copyOfRange(order, numMasked, numPatches);
    }
    return new MaeMask(masked, visible);
  }

  /**
   * One sample's mask as {@code numPatches} floats (1 = masked), drawing from {@code rng}: the
   * first row of {@code toFloatMask(sample(1, numPatches, ratio, rng), numPatches)}.
   */
  public static float[] floatMask(int numPatches, double ratio, SplittableRandom rng) {
    return toFloatMask(sample(1, numPatches, ratio, rng), numPatches);
  }

  /** The mask as floats {@code [batch * numPatches]}: 1 where a patch is masked, else 0. */
  public static float[] toFloatMask(MaeMask mask, int numPatches) {
    float[] out = new float[mask.batch() * numPatches];
    for (int b = 0; b < mask.batch(); b++) {
      for (int index : mask.masked()[b]) {
        out[b * numPatches + Objects.checkIndex(index, numPatches)] = 1f;
      }
    }
    return out;
  }

  /**
   * Patch indices ordered by fresh uniform noise (ties, which are practically impossible, by
   * index).
   */
  private static int[] argsortNoise(int numPatches, SplittableRandom rng) {
    double[] noise = new double[numPatches];
    Integer[] order = new Integer[numPatches];
    for (int i = 0; i < numPatches; i++) {
      noise[i] = rng.nextDouble();
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble(i -> noise[i]));
    return Arrays.stream(order).mapToInt(Integer::intValue).toArray();
  }
}
