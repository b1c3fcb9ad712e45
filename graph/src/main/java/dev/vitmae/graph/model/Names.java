package dev.vitmae.graph.model;

/** Names of the inputs and outputs every vitmae graph uses (the I/O contract's names). */
public final class Names {
  private Names() {}

  /** {@code [B, C, H, W]} float pixels in [0, 1]. */
  public static final String IMAGES = "images";
  /** {@code [B, n]} float, 1 = patch hidden from the encoder (masked), 0 = visible. */
  public static final String MASK = "mask";
  /** {@code [B, classes]} float one-hot labels (classifier training only). */
  public static final String LABELS = "labels";
  /** Scalar training loss. */
  public static final String LOSS = "loss";
  /** {@code [B, n, dim]} encoder output per patch token. */
  public static final String TOKENS = "tokens";
  /** {@code [B, dim]} pooled encoder output. */
  public static final String EMBEDDING = "embedding";
  /** {@code [B, classes]} classifier logits. */
  public static final String LOGITS = "logits";
  /** {@code [B, C, H, W]} MAE output: predicted pixels at masked patches, input elsewhere. */
  public static final String RECONSTRUCTION = "reconstruction";
  /** {@code [B, n]} float, I-JEPA: 1 = patch hidden from the context encoder, 0 = context. */
  public static final String CONTEXT_MASK = "context_mask";
  /** {@code [B, n]} float, I-JEPA predictor: 1 = a target patch to predict, 0 = not. */
  public static final String TARGET_MASK = "target_mask";
  /** {@code [B, blocks, n]} float, I-JEPA training: one target mask per target block. */
  public static final String TARGET_MASKS = "target_masks";
  /** {@code [B, n, dim]} I-JEPA training: the target (EMA) encoder's tokens of the batch. */
  public static final String TARGET_TOKENS = "target_tokens";
  /**
   * {@code [B, n, dim]} I-JEPA predictor output: the predicted layer-normalized target features,
   * meaningful at the target patches.
   */
  public static final String PREDICTED_TOKENS = "predicted_tokens";
  /** {@code [B, n, p²·C]} MAE prediction for every patch (the loss reads the masked ones). */
  public static final String PREDICTED_PATCHES = "predicted_patches";
}
