package dev.vitmae.graph.model;

/**
 * Names of the training-only inputs and outputs of vitmae's graphs; the names exported models share
 * with the runtime are the contract's ({@link dev.vitmae.contract.TensorNames}).
 */
public final class Names {
  private Names() {}

  /**
   * {@code [B, n_visible]} int32, MAE training: per sample, the patches the encoder sees (every
   * other patch is masked); all samples of a batch show the same number of patches.
   */
  public static final String VISIBLE_INDEX = "visible_index";

  /** {@code [B, classes]} float one-hot labels (classifier training only). */
  public static final String LABELS = "labels";

  /**
   * {@code [B, 2·depth]} float, ViT classifier training with stochastic depth: per example, the
   * scale of each encoder block's attention (column {@code 2i}) and feed-forward (column {@code 2i
   * + 1}) residual branch: 0 (dropped) or {@code 1/(1 − rate)} ({@link
   * dev.vitmae.graph.nn.DropPath}).
   */
  public static final String DROP_PATH = "drop_path";

  /** Scalar training loss. */
  public static final String LOSS = "loss";

  /** {@code [B, blocks, n]} float, I-JEPA training: one target mask per target block. */
  public static final String TARGET_MASKS = "target_masks";

  /** {@code [B, n, dim]} I-JEPA training: the target (EMA) encoder's tokens of the batch. */
  public static final String TARGET_TOKENS = "target_tokens";

  /** {@code [B, n, p²·C]} MAE prediction for every patch (the loss reads the masked ones). */
  public static final String PREDICTED_PATCHES = "predicted_patches";
}
