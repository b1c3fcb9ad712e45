package dev.vitmae.cli;

import dev.vitmae.runtime.InferenceException;
import java.io.PrintWriter;
import java.nio.FloatBuffer;
import java.util.Locale;

/**
 * Runs a model over {@link InputImages} in batches and gathers its per-image outputs. When a batch
 * is refused (an input check or ONNX Runtime fails on it), its images are run one at a time, so
 * only the image at fault is lost: it is skipped and listed in {@link #failures()}, or, with
 * fail-on-bad-image, the run stops with an {@link IllegalArgumentException} naming its file.
 *
 * @param values {@code [count, width]} outputs, row-major (zeros for a failed image)
 * @param width floats per image (embedding dim, classes)
 * @param batches batches run
 * @param nanos time spent in the model, excluding loading and writing
 * @param failures per image, null or why the model could not run it
 */
record BatchedInference(float[] values, int width, int batches, long nanos, String[] failures) {

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
   * @throws IllegalArgumentException when {@code batchSize} is not positive, when {@code
   *     failOnBadImage} and an image is refused (naming its file), or when no image could be run
   */
  static BatchedInference run(
      InputImages images, int batchSize, boolean failOnBadImage, Model model) {
    if (batchSize <= 0) {
      throw new IllegalArgumentException("--batch-size must be positive, got " + batchSize);
    }
    if (images.count() == 0) throw new IllegalArgumentException("no images in " + images.source());
    int length = images.valuesPerImage();
    float[] batch = new float[Math.min(batchSize, images.count()) * length];
    float[][] outputs = new float[images.count()][];
    String[] failures = new String[images.count()];
    int batches = 0;
    long nanos = 0;
    for (int from = 0; from < images.count(); from += batchSize, batches++) {
      int n = Math.min(batchSize, images.count() - from);
      images.copy(from, from + n, batch);
      long start = System.nanoTime();
      try {
        float[] out = model.run(FloatBuffer.wrap(batch, 0, n * length), n);
        int width = out.length / n;
        for (int i = 0; i < n; i++) {
          outputs[from + i] = java.util.Arrays.copyOfRange(out, i * width, (i + 1) * width);
        }
      } catch (IllegalArgumentException | InferenceException batchError) {
        // Step 2. Find the image(s) at fault: one run per image of this batch.
        for (int i = 0; i < n; i++) {
          images.copy(from + i, from + i + 1, batch);
          try {
            outputs[from + i] = model.run(FloatBuffer.wrap(batch, 0, length), 1);
          } catch (IllegalArgumentException | InferenceException e) {
            failures[from + i] = e.getMessage();
            if (failOnBadImage) {
              throw new IllegalArgumentException(
                  images.describe(from + i)
                      + ": the model refused it: "
                      + e.getMessage()
                      + " (stopped by --fail-on-bad-image; without it the image is skipped and"
                      + " listed)",
                  e);
            }
          }
        }
      }
      nanos += System.nanoTime() - start;
    }
    int width = -1;
    for (float[] out : outputs) if (out != null) width = out.length;
    if (width < 0) {
      throw new IllegalArgumentException(
          "the model could run none of the "
              + images.count()
              + " images of "
              + images.source()
              + "; the first: "
              + images.describe(0)
              + ": "
              + failures[0]);
    }
    float[] values = new float[images.count() * width];
    for (int i = 0; i < outputs.length; i++) {
      if (outputs[i] != null) System.arraycopy(outputs[i], 0, values, i * width, width);
    }
    return new BatchedInference(values, width, batches, nanos, failures);
  }

  /** Whether image {@code i} has a result (it was not skipped). */
  boolean ok(int i) {
    return failures[i] == null;
  }

  /** Images with a result. */
  int okCount() {
    int n = 0;
    for (String f : failures) n += f == null ? 1 : 0;
    return n;
  }

  /** Prints the images skipped because the model refused them, one per line; nothing when none. */
  void reportFailures(InputImages images, PrintWriter out) {
    int skipped = failures.length - okCount();
    if (skipped == 0) return;
    out.printf(
        Locale.ROOT,
        "skipped %d image%s the model refused (--fail-on-bad-image stops instead):%n",
        skipped,
        skipped == 1 ? "" : "s");
    for (int i = 0; i < failures.length; i++) {
      if (failures[i] != null) out.println("  " + images.describe(i) + ": " + failures[i]);
    }
  }

  /** "1000 images in 12 batches, 0.81 s: 1234 img/s". */
  String summary() {
    int count = okCount();
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
