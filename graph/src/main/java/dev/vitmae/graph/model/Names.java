package dev.vitmae.graph.model;

import dev.vitmae.images.ModelIo;

/**
 * Names of the inputs and outputs every vitmae graph uses: the I/O contract's names ({@link
 * ModelIo}, their one home) plus the training-only ones.
 */
public final class Names {
  private Names() {}

  /** {@code [B, C, H, W]} float pixels in [0, 1]. */
  public static final String IMAGES = ModelIo.IMAGES;

  /** {@code [B, n]} float, 1 = patch hidden from the encoder (masked), 0 = visible. */
  public static final String MASK = ModelIo.MASK;

  /**
   * {@code [B, n_visible]} int32, MAE training: per sample, the patches the encoder sees (every
   * other patch is masked); all samples of a batch show the same number of patches.
   */
  public static final String VISIBLE_INDEX = "visible_index";

  /** {@code [B, classes]} float one-hot labels (classifier training only). */
  public static final String LABELS = "labels";

  /** Scalar training loss. */
  public static final String LOSS = "loss";

  /** {@code [B, n, dim]} encoder output per patch token. */
  public static final String TOKENS = ModelIo.TOKENS;

  /** {@code [B, dim]} pooled encoder output. */
  public static final String EMBEDDING = ModelIo.EMBEDDING;

  /** {@code [B, classes]} classifier logits. */
  public static final String LOGITS = ModelIo.LOGITS;

  /** {@code [B, C, H, W]} MAE output: predicted pixels at masked patches, input elsewhere. */
  public static final String RECONSTRUCTION = ModelIo.RECONSTRUCTION;

  /** {@code [B, n]} float, I-JEPA: 1 = patch hidden from the context encoder, 0 = context. */
  public static final String CONTEXT_MASK = ModelIo.CONTEXT_MASK;

  /** {@code [B, n]} float, I-JEPA predictor: 1 = a target patch to predict, 0 = not. */
  public static final String TARGET_MASK = ModelIo.TARGET_MASK;

  /** {@code [B, blocks, n]} float, I-JEPA training: one target mask per target block. */
  public static final String TARGET_MASKS = "target_masks";

  /** {@code [B, n, dim]} I-JEPA training: the target (EMA) encoder's tokens of the batch. */
  public static final String TARGET_TOKENS = "target_tokens";

  /**
   * {@code [B, n, dim]} I-JEPA predictor output: the predicted layer-normalized target features,
   * meaningful at the target patches.
   */
  public static final String PREDICTED_TOKENS = ModelIo.PREDICTED_TOKENS;

  /** {@code [B, n, p²·C]} MAE prediction for every patch (the loss reads the masked ones). */
  public static final String PREDICTED_PATCHES = "predicted_patches";
}
