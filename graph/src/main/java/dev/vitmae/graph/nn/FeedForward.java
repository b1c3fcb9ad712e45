package dev.vitmae.graph.nn;

import org.nd4j.autodiff.samediff.SDVariable;

/** Pre-norm MLP: LayerNorm → Linear(dim, hidden) → exact GELU → Linear(hidden, dim). */
public final class FeedForward {
  private FeedForward() {}

  /** {@code [B, n, dim] -> [B, n, dim]}. */
  public static SDVariable build(
      Net net, String name, SDVariable x, int tokens, int dim, int hidden) {
    SDVariable rows = net.sd().reshape(x, -1, dim);
    return net.sd().reshape(rows(net, name, rows, dim, hidden), -1, tokens, dim);
  }

  /** The same on the token rows {@code [B·n, dim] -> [B·n, dim]}. */
  public static SDVariable rows(Net net, String name, SDVariable x, int dim, int hidden) {
    return rows(net, name, x, dim, hidden, Layers.LN_EPS);
  }

  /** {@link #rows} with LayerNorm epsilon {@code eps}. */
  public static SDVariable rows(
      Net net, String name, SDVariable x, int dim, int hidden, double eps) {
    SDVariable h = Layers.layerNormRows(net, name + "/ln", x, dim, eps);
    h = Layers.linearRows(net, name + "/fc1", h, dim, hidden, true);
    h = Layers.gelu(net.sd(), h);
    return Layers.linearRows(net, name + "/fc2", h, hidden, dim, true);
  }
}
