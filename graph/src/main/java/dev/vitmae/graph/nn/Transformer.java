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
    for (int i = 0; i < spec.depth(); i++) {
      String block = name + "/block" + i;
      x =
          Attention.build(
                  net,
                  block + "/attn",
                  x,
                  keyBias,
                  tokens,
                  spec.dim(),
                  spec.heads(),
                  spec.dimHead())
              .add(x);
      x = FeedForward.build(net, block + "/ff", x, tokens, spec.dim(), spec.mlpDim()).add(x);
    }
    return Layers.layerNorm(net, name + "/norm", x, spec.dim());
  }
}
