package dev.vitmae.graph.nn;

import org.nd4j.autodiff.samediff.SDVariable;

/** Pre-norm MLP: LayerNorm → Linear(dim, hidden) → exact GELU → Linear(hidden, dim). */
public final class FeedForward {
  private FeedForward() {}

  /** {@code [B, n, dim] -> [B, n, dim]}. */
  public static SDVariable build(
      Net net, String name, SDVariable x, int tokens, int dim, int hidden) {
    SDVariable h = Layers.layerNorm(net, name + "/ln", x, dim);
    h = Layers.linear(net, name + "/fc1", h, tokens, dim, hidden, true);
    h = Layers.gelu(net.sd(), h);
    return Layers.linear(net, name + "/fc2", h, tokens, hidden, dim, true);
  }
}
