package dev.vitmae.graph.nn;

import dev.vitmae.graph.config.PosEmbedding;
import org.nd4j.autodiff.samediff.SDVariable;

/** Positional embeddings of a {@code grid × grid} patch sequence, {@code [n, dim]}. */
public final class Positions {
  private Positions() {}

  public static SDVariable build(Net net, String name, PosEmbedding kind, int grid, int dim) {
    return build(net, name, kind, grid, dim, false);
  }

  /**
   * The table {@code [n, dim]}, or with {@code classSlot} {@code [1 + n, dim]} whose row 0 is the
   * class token's (zeros in the sin-cos table, as MAE's {@code get_2d_sincos_pos_embed(...,
   * cls_token=True)}). A learned table is a trainable variable, a sin-cos table a constant.
   */
  public static SDVariable build(
      Net net, String name, PosEmbedding kind, int grid, int dim, boolean classSlot) {
    int rows = grid * grid + (classSlot ? 1 : 0);
    return switch (kind) {
      case LEARNED -> net.normal(name, rows, dim);
      case SINCOS -> net.constant(name, table(grid, dim, classSlot), rows, dim);
    };
  }

  /** {@link #sinCos2d}, after a row of zeros for the class token when {@code classSlot}. */
  public static double[] table(int grid, int dim, boolean classSlot) {
    double[] patches = sinCos2d(grid, dim);
    if (!classSlot) return patches;
    double[] all = new double[patches.length + dim];
    System.arraycopy(patches, 0, all, dim, patches.length);
    return all;
  }

  /**
   * MAE's {@code get_2d_sincos_pos_embed}: for token {@code row·g + col}, the first half of the
   * channels encodes the column and the second half the row, each as {@code [sin(pos·ω_k),
   * cos(pos·ω_k)]} with {@code ω_k = 10000^(-k/(dim/4))}.
   */
  public static double[] sinCos2d(int grid, int dim) {
    int quarter = dim / 4;
    double[] table = new double[grid * grid * dim];
    for (int row = 0; row < grid; row++) {
      for (int col = 0; col < grid; col++) {
        int base = (row * grid + col) * dim;
        for (int k = 0; k < quarter; k++) {
          double omega = Math.pow(10000, -(double) k / quarter);
          table[base + k] = Math.sin(col * omega);
          table[base + quarter + k] = Math.cos(col * omega);
          table[base + 2 * quarter + k] = Math.sin(row * omega);
          table[base + 3 * quarter + k] = Math.cos(row * omega);
        }
      }
    }
    return table;
  }
}
