package dev.vitmae.graph.nn;

import org.nd4j.autodiff.samediff.SDVariable;

/** vit-pytorch's {@code Transformer}: pre-norm blocks then a final LayerNorm. */
public final class Transformer {
  private Transformer() {}

  /** Block sizes of one Transformer stack. */
  public record Spec(int dim, int depth, int heads, int dimHead, int mlpDim) {}

  /**
   * {@code [B, n, dim] -> [B, n, dim]}: for each block {@code x = attn(x) + x; x = ff(x) + x}, then
   * LayerNorm. Parameters are named {@code name/block<i>/attn/...}, {@code name/norm/...}.
   *
   * @param keyBias see {@link Attention#keyBias}; null for full attention
   */
  public static SDVariable build(
      Net net, String name, SDVariable x, SDVariable keyBias, int tokens, Spec spec) {
    // The residual stream stays [B·n, dim] inside the stack: no reshapes around every layer.
    SDVariable h = net.sd().reshape(x, -1, spec.dim());
    for (int i = 0; i < spec.depth(); i++) {
      String block = name + "/block" + i;
      h =
          Attention.rows(
                  net,
                  block + "/attn",
                  h,
                  keyBias,
                  tokens,
                  spec.dim(),
                  spec.heads(),
                  spec.dimHead())
              .add(h);
      h = FeedForward.rows(net, block + "/ff", h, spec.dim(), spec.mlpDim()).add(h);
    }
    SDVariable out = Layers.layerNormRows(net, name + "/norm", h, spec.dim());
    return net.sd().reshape(out, -1, tokens, spec.dim());
  }
}
