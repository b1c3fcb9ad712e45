package dev.vitmae.runtime;

import dev.vitmae.contract.TensorNames;
import java.nio.FloatBuffer;

/**
 * Checks inputs in Java before they reach native code; every failure is an {@link
 * IllegalArgumentException}.
 */
final class Inputs {

  /** Slack allowed outside [0, 1] for pixels that went through float arithmetic. */
  static final float PIXEL_TOLERANCE = 1e-6f;

  private Inputs() {}

  static void batch(int batch, long fixedBatch) {
    if (batch < 1) throw new IllegalArgumentException("batch must be >= 1, got " + batch);
    if (fixedBatch > 0 && batch != fixedBatch) {
      throw new IllegalArgumentException(
          "this model has a fixed batch of " + fixedBatch + ", got batch " + batch);
    }
  }

  /** Pixels: {@code batch × C×H×W} finite floats within [0, 1] (± {@link #PIXEL_TOLERANCE}). */
  static void images(FloatBuffer images, int batch, ModelInfo info) {
    int perImage = info.valuesPerImage();
    String layout = info.channels() + "×" + info.imageSize() + "×" + info.imageSize();
    length(TensorNames.IMAGES, images, batch, perImage, layout);
    int at = images.position();
    for (int i = 0, n = images.remaining(); i < n; i++) {
      float v = images.get(at + i);
      if (v >= -PIXEL_TOLERANCE && v <= 1f + PIXEL_TOLERANCE) continue;
      String where =
          TensorNames.IMAGES
              + "["
              + i
              + "] (sample "
              + i / perImage
              + ", offset "
              + i % perImage
              + ")";
      if (Float.isNaN(v) || Float.isInfinite(v)) {
        throw new IllegalArgumentException(
            where + " is " + v + "; pixels must be finite values in [0, 1]");
      }
      throw new IllegalArgumentException(
          where + " = " + v + " is outside [0, 1]; pixels must be float32 in [0, 1] (byte / 255)");
    }
  }

  /** Mask: {@code batch × numPatches} values, each exactly 0 (visible) or 1 (masked). */
  static void mask(FloatBuffer mask, int batch, int numPatches) {
    mask(TensorNames.MASK, mask, batch, numPatches);
  }

  /** A 0/1 mask input called {@code name}: {@code batch × numPatches} values. */
  static void mask(String name, FloatBuffer mask, int batch, int numPatches) {
    length(name, mask, batch, numPatches, numPatches + " patches");
    int at = mask.position();
    for (int i = 0, n = mask.remaining(); i < n; i++) {
      float v = mask.get(at + i);
      if (v != 0f && v != 1f) {
        throw new IllegalArgumentException(
            name
                + "["
                + i
                + "] (sample "
                + i / numPatches
                + ", patch "
                + i % numPatches
                + ") = "
                + v
                + "; "
                + name
                + " values must be "
                + (name.equals(TensorNames.MASK) ? "0 (visible) or 1 (masked)" : "0 or 1"));
      }
    }
  }

  /** No patch is both a context patch (context mask 0) and a target patch (target mask 1). */
  static void disjoint(FloatBuffer contextMask, FloatBuffer targetMask, int numPatches) {
    int c = contextMask.position();
    int t = targetMask.position();
    for (int i = 0, n = targetMask.remaining(); i < n; i++) {
      if (targetMask.get(t + i) == 1f && contextMask.get(c + i) == 0f) {
        throw new IllegalArgumentException(
            "patch "
                + i % numPatches
                + " of sample "
                + i / numPatches
                + " is both a context patch (context_mask 0) and a target patch (target_mask 1)");
      }
    }
  }

  /** A named input of {@code shape} (batch first): the right length, every value finite. */
  static void tensor(String name, float[] values, long[] shape) {
    long expected = java.util.Arrays.stream(shape).reduce(1, Math::multiplyExact);
    if (values.length != expected) {
      throw new IllegalArgumentException(
          name
              + ": expected "
              + expected
              + " floats (shape "
              + java.util.Arrays.toString(shape)
              + "), got "
              + values.length);
    }
    for (int i = 0; i < values.length; i++) {
      if (!Float.isFinite(values[i])) {
        throw new IllegalArgumentException(
            name + "[" + i + "] is " + values[i] + "; inputs must be finite");
      }
    }
  }

  private static void length(
      String name, FloatBuffer buffer, int batch, int perSample, String layout) {
    long expected = (long) batch * perSample;
    if (buffer.remaining() != expected) {
      throw new IllegalArgumentException(
          name
              + ": expected "
              + expected
              + " floats (batch "
              + batch
              + " × "
              + layout
              + "), got "
              + buffer.remaining());
    }
  }
}
