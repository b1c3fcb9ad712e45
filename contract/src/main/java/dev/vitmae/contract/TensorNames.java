package dev.vitmae.contract;

/**
 * The names of the inputs and outputs of exported models (I/O contract version {@value
 * ModelContract#VERSION}), shared by the graphs that train them, the exporter, the runtime that
 * checks them and Spark. Their one home: no other class spells them.
 */
public final class TensorNames {
  private TensorNames() {}

  /** {@code [B, C, H, W]} float pixels in [0, 1]. */
  public static final String IMAGES = "images";

  /** {@code [B, n]} float, 1 = patch hidden from the encoder (masked), 0 = visible. */
  public static final String MASK = "mask";

  /** {@code [B, n, dim]} encoder output per patch token. */
  public static final String TOKENS = "tokens";

  /** {@code [B, dim]} pooled encoder output. */
  public static final String EMBEDDING = "embedding";

  /**
   * {@code [B, n]} an encoder's optional output (exported on request): the last Transformer block's
   * attention to each patch, averaged over the heads; the class token's row (its attention to
   * itself left out) when the encoder has one, else the mean over all query tokens.
   */
  public static final String ATTENTION = "attention";

  /** {@code [B, classes]} classifier logits. */
  public static final String LOGITS = "logits";

  /** {@code [B, C, H, W]} MAE output: predicted pixels at masked patches, input elsewhere. */
  public static final String RECONSTRUCTION = "reconstruction";

  /** {@code [B, n]} float, I-JEPA: 1 = patch hidden from the context encoder, 0 = context. */
  public static final String CONTEXT_MASK = "context_mask";

  /** {@code [B, n]} float, I-JEPA predictor: 1 = a target patch to predict, 0 = not. */
  public static final String TARGET_MASK = "target_mask";

  /** {@code [B, n, dim]} I-JEPA predictor output, meaningful at the target patches. */
  public static final String PREDICTED_TOKENS = "predicted_tokens";
}
