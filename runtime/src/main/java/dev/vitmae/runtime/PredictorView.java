package dev.vitmae.runtime;

import dev.vitmae.contract.ModelKind;
import dev.vitmae.contract.TensorNames;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An I-JEPA {@link ModelKind#PREDICTOR} model (context encoder + predictor). Taken with {@link
 * VitModel#predictor()}.
 */
public final class PredictorView extends ModelView {

  PredictorView(VitModel model) {
    super(model, ModelKind.PREDICTOR, "predictor()");
  }

  /**
   * Predictions of the target encoder's (layer-normalized) features: for each image, the patches
   * with {@code contextMask} 0 form the context and those with {@code targetMask} 1 the target
   * block to predict (both {@code batch×numPatches} values of 0 or 1; a target patch must not be a
   * context patch). Returns {@code batch×numPatches×dim} floats, meaningful at the target patches.
   */
  public float[] predictTargets(Pixels images, FloatBuffer contextMask, FloatBuffer targetMask) {
    Objects.requireNonNull(contextMask, "contextMask");
    Objects.requireNonNull(targetMask, "targetMask");
    int n = info().numPatches();
    Inputs.mask(TensorNames.CONTEXT_MASK, contextMask, images.batch(), n);
    Inputs.mask(TensorNames.TARGET_MASK, targetMask, images.batch(), n);
    Inputs.disjoint(contextMask, targetMask, n);
    Map<String, FloatBuffer> masks = new HashMap<>(4);
    masks.put(TensorNames.CONTEXT_MASK, contextMask);
    masks.put(TensorNames.TARGET_MASK, targetMask);
    return model.run(images, masks, TensorNames.PREDICTED_TOKENS)[0].data();
  }

  /** {@link #predictTargets(Pixels, FloatBuffer, FloatBuffer)} with masks as arrays. */
  public float[] predictTargets(Pixels images, float[] contextMask, float[] targetMask) {
    return predictTargets(
        images,
        FloatBuffer.wrap(Objects.requireNonNull(contextMask, "contextMask")),
        FloatBuffer.wrap(Objects.requireNonNull(targetMask, "targetMask")));
  }

  /** {@code batch} images ({@code batch×C×H×W} floats) and their masks. */
  public float[] predictTargets(
      float[] images, float[] contextMask, float[] targetMask, int batch) {
    return predictTargets(Pixels.of(images, batch), contextMask, targetMask);
  }

  /** On buffers; direct native-order buffers are not copied. */
  public float[] predictTargets(
      FloatBuffer images, FloatBuffer contextMask, FloatBuffer targetMask, int batch) {
    return predictTargets(Pixels.of(images, batch), contextMask, targetMask);
  }
}
