package dev.vitmae.graph.config;

/** How a ViT turns its token sequence into one embedding. */
public enum Pooling {
  /** The class token's output after the final LayerNorm is the embedding. */
  CLS,
  /** The mean of the patch tokens' outputs after the final LayerNorm (class token excluded). */
  MEAN,
  /**
   * timm's {@code global_pool='avg'} (and facebookresearch/mae's fine-tuning ViT): no final
   * LayerNorm on the tokens; the mean of the patch tokens goes through its own LayerNorm, {@code
   * encoder/fc_norm}.
   */
  MEAN_FC_NORM
}
