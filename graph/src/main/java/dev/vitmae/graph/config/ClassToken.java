package dev.vitmae.graph.config;

/** Whether a ViT encoder prepends a learned class token, and whether it has a position. */
public enum ClassToken {
  /** No class token (I-JEPA, vit-pytorch with mean pooling). */
  NONE,
  /** vit-pytorch: prepended after the patch tokens got their positions; it has none itself. */
  UNPOSITIONED,
  /**
   * timm, facebookresearch/mae, Hugging Face: the position table has {@code 1 + n} rows, row 0 the
   * class token's (zeros in a fixed sin-cos table), added after the token is prepended.
   */
  POSITIONED
}
