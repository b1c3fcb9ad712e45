package dev.vitmae.cli;

import java.nio.FloatBuffer;
import java.util.Locale;

/**
 * Runs a model over {@link InputImages} in batches and gathers its per-image outputs.
 *
 * @param values {@code [count, width]} outputs, row-major
 * @param width floats per image (embedding dim, classes)
 * @param batches batches run
 * @param nanos time spent in the model, excluding loading and writing
 */
record BatchedInference(float[] values, int width, int batches, long nanos) {

  /**
   * One batch: {@code n} images as NCHW floats from the buffer's position to its limit → {@code n ×
   * width} floats.
   */
  @FunctionalInterface
  interface Model {
    float[] run(FloatBuffer images, int n);
  }

  /**
   * Runs {@code model} on every image, {@code batchSize} at a time (the last batch may be smaller).
   *
   * @throws IllegalArgumentException when {@code batchSize} is not positive
   */
  static BatchedInference run(InputImages images, int batchSize, Model model) {
    if (batchSize <= 0) {
      throw new IllegalArgumentException("--batch-size must be positive, got " + batchSize);
    }
    float[] batch = new float[Math.min(batchSize, images.count()) * images.imageLength()];
    float[] values = null;
    int width = 0;
    int batches = 0;
    long nanos = 0;
    for (int from = 0; from < images.count(); from += batchSize, batches++) {
      int n = Math.min(batchSize, images.count() - from);
      images.copy(from, from + n, batch);
      long start = System.nanoTime();
      float[] out = model.run(FloatBuffer.wrap(batch, 0, n * images.imageLength()), n);
      nanos += System.nanoTime() - start;
      if (values == null) {
        width = out.length / n;
        values = new float[images.count() * width];
      }
      System.arraycopy(out, 0, values, from * width, n * width);
    }
    return new BatchedInference(values, width, batches, nanos);
  }

  /** "1000 images in 12 batches, 0.81 s: 1234 img/s". */
  String summary() {
    int count = values.length / width;
    return String.format(
        Locale.ROOT,
        "%d images in %d batch%s, %.2f s: %.0f img/s",
        count,
        batches,
        batches == 1 ? "" : "es",
        nanos / 1e9,
        count / Math.max(nanos / 1e9, 1e-9));
  }
}
