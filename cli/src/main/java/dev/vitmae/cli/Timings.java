package dev.vitmae.cli;

import java.util.Arrays;

/**
 * Wall-clock times of repeated runs of one operation, measured with {@link System#nanoTime()}.
 *
 * @param nanos the times of the measured runs, sorted ascending
 */
record Timings(long[] nanos) {

  Timings {
    if (nanos.length == 0) {
      throw new IllegalArgumentException("no runs measured");
    }
    nanos = nanos.clone();
    Arrays.sort(nanos);
  }

  /**
   * Runs {@code op} {@code warmup} times untimed, then {@code iters} times timed one by one.
   *
   * @throws IllegalArgumentException when {@code warmup < 0} or {@code iters < 1}
   */
  static Timings measure(int warmup, int iters, Runnable op) {
    if (warmup < 0 || iters < 1) {
      throw new IllegalArgumentException(
          "need warmup >= 0 and iters >= 1, got " + warmup + " and " + iters);
    }
    for (int i = 0; i < warmup; i++) {
      op.run();
    }
    long[] nanos = new long[iters];
    for (int i = 0; i < iters; i++) {
      long start = System.nanoTime();
      op.run();
      nanos[i] = System.nanoTime() - start;
    }
    return new Timings(nanos);
  }

  /** The {@code q}-quantile (0..1) in milliseconds, nearest-rank. */
  double quantileMs(double q) {
    int rank = (int) Math.ceil(q * nanos.length);
    return nanos[Math.max(0, Math.min(nanos.length - 1, rank - 1))] / 1e6;
  }

  double p50Ms() {
    return quantileMs(0.50);
  }

  double p95Ms() {
    return quantileMs(0.95);
  }

  /** Images per second over all measured runs, each of {@code batch} images. */
  double imagesPerSecond(int batch) {
    long total = Arrays.stream(nanos).sum();
    return (double) batch * nanos.length / Math.max(total / 1e9, 1e-12);
  }
}
