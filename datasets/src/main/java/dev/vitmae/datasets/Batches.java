package dev.vitmae.datasets;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded, shuffled mini-batches. An epoch's order is a pure function of {@code (seed, epoch)}, so a
 * resumed run only needs the epoch number, never a saved RNG.
 */
public final class Batches {
  private Batches() {}

  /** The dataset indices of one mini-batch, in the order to use them. */
  public record Batch(int[] indices) {
    public int size() {
      return indices.length;
    }
  }

  /**
   * The batches of one epoch: a permutation of {@code [0, datasetSize)} cut into batches of {@code
   * batchSize}; the last, smaller batch is kept unless {@code dropLast}.
   *
   * @throws IllegalArgumentException if a size is not positive
   */
  public static List<Batch> epoch(
      int datasetSize, int batchSize, long seed, int epoch, boolean dropLast) {
    if (datasetSize <= 0 || batchSize <= 0) {
      throw new IllegalArgumentException(
          "datasetSize and batchSize must be positive, got " + datasetSize + " and " + batchSize);
    }
    int[] order = permutation(datasetSize, seed, epoch);
    List<Batch> batches = new ArrayList<>(batchesPerEpoch(datasetSize, batchSize, dropLast));
    for (int from = 0; from < datasetSize; from += batchSize) {
      int to = Math.min(from + batchSize, datasetSize);
      if (to - from < batchSize && dropLast) {
        break;
      }
      batches.add(new Batch(Arrays.copyOfRange(order, from, to)));
    }
    return batches;
  }

  /** How many batches {@link #epoch} returns. */
  public static int batchesPerEpoch(int datasetSize, int batchSize, boolean dropLast) {
    return dropLast ? datasetSize / batchSize : (datasetSize + batchSize - 1) / batchSize;
  }

  /**
   * The permutation of {@code [0, n)} used for {@code epoch}: seeded by {@code mix(seed, epoch)}.
   */
  public static int[] permutation(int n, long seed, int epoch) {
    return permutation(n, new SplittableRandom(mix(seed, epoch)));
  }

  /** A Fisher–Yates permutation of {@code [0, n)} drawn from {@code rng}. */
  public static int[] permutation(int n, SplittableRandom rng) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  /** Combines a seed and a stream number into a well-mixed 64-bit seed (SplitMix64 finalizer). */
  public static long mix(long seed, long stream) {
    return fmix64(seed ^ fmix64(stream + 0x9E3779B97F4A7C15L));
  }

  private static long fmix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
