package dev.vitmae.graph.config;

/** How a ViT turns each patch's pixels into a token. */
public enum PatchEmbedding {
  /**
   * vit-pytorch: LayerNorm(p²·C) → Linear(p²·C, dim) → LayerNorm(dim) on the patch's values in
   * {@code (p1 p2 c)} order.
   */
  NORMED_LINEAR,
  /**
   * timm, facebookresearch/mae and ijepa, Hugging Face: one Linear(p²·C, dim) with bias, no
   * LayerNorm; the same map as their {@code Conv2d(C, dim, p, stride=p)}, whose weight {@code [dim,
   * C, p, p]} is the linear map of the patch's {@code (c p1 p2)} values. vitmae keeps the patch in
   * its {@code (p1 p2 c)} layout and stores the weight as {@code [p²·C, dim]} in that row order
   * ({@code encoder/patch_embed/proj/W}); an import permutes the Conv2d's rows once.
   */
  LINEAR
}
