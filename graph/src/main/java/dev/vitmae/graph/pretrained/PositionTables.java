package dev.vitmae.graph.pretrained;

/**
 * Position tables resampled to another grid as timm's {@code resample_abs_pos_embed} does: the
 * {@code prefix} rows (the class token's) are kept, the {@code grid × grid} rows are interpolated
 * as a {@code dim}-channel image by PyTorch's bicubic {@code F.interpolate(..., mode='bicubic',
 * align_corners=False, antialias=...)}, so a 224-pixel model (14×14 patches of 16) can be
 * fine-tuned at 64 pixels (4×4). timm resamples with antialias on (its default); PyTorch's
 * antialiased bicubic is Keys' cubic with {@code a = −0.5} and a support widened by the scale when
 * shrinking, the plain one {@code a = −0.75} on four taps, so the two differ in both directions.
 * Fixed sin-cos tables are not resampled: the graph recomputes them for its grid.
 */
public final class PositionTables {
  private PositionTables() {}

  /**
   * {@code table [prefix + oldGrid², dim]} (row-major) to {@code [prefix + newGrid², dim]}.
   *
   * @param antialias as {@code F.interpolate}'s (timm: true)
   * @throws IllegalArgumentException if the table does not have {@code prefix + oldGrid²} rows
   */
  public static float[] resample(
      float[] table, int prefix, int oldGrid, int newGrid, int dim, boolean antialias) {
    long rows = prefix + (long) oldGrid * oldGrid;
    if (prefix < 0 || oldGrid < 1 || newGrid < 1 || dim < 1 || table.length != rows * dim) {
      throw new IllegalArgumentException(
          "a position table of "
              + table.length
              + " values is not "
              + prefix
              + " + "
              + oldGrid
              + "² rows of "
              + dim);
    }
    if (newGrid == oldGrid) return table.clone();
    Taps taps = antialias ? Taps.antialiased(oldGrid, newGrid) : Taps.bicubic(oldGrid, newGrid);
    float[] out = new float[(prefix + newGrid * newGrid) * dim];
    System.arraycopy(table, 0, out, 0, prefix * dim);
    // Separable: along the columns, then along the rows (double precision throughout).
    double[] wide = new double[oldGrid * newGrid * dim]; // [oldRow, newCol, dim]
    for (int r = 0; r < oldGrid; r++) {
      for (int c = 0; c < newGrid; c++) {
        for (int k = 0; k < taps.index[c].length; k++) {
          int src = (prefix + r * oldGrid + taps.index[c][k]) * dim;
          double w = taps.weight[c][k];
          int dst = (r * newGrid + c) * dim;
          for (int d = 0; d < dim; d++) wide[dst + d] += w * table[src + d];
        }
      }
    }
    for (int r = 0; r < newGrid; r++) {
      for (int c = 0; c < newGrid; c++) {
        int dst = (prefix + r * newGrid + c) * dim;
        for (int d = 0; d < dim; d++) {
          double sum = 0;
          for (int k = 0; k < taps.index[r].length; k++) {
            sum += taps.weight[r][k] * wide[(taps.index[r][k] * newGrid + c) * dim + d];
          }
          out[dst + d] = (float) sum;
        }
      }
    }
    return out;
  }

  /** For each output index, the input indices it reads and their weights. */
  private record Taps(int[][] index, double[][] weight) {
    /** PyTorch's {@code upsample_bicubic2d}, align_corners=False: 4 taps, clamped at the edges. */
    static Taps bicubic(int in, int out) {
      double scale = (double) in / out;
      int[][] index = new int[out][4];
      double[][] weight = new double[out][4];
      for (int i = 0; i < out; i++) {
        double real = scale * (i + 0.5) - 0.5; // no clamp at 0 for cubic
        int base = (int) Math.floor(real);
        double t = real - base;
        double a = -0.75;
        weight[i][0] = cubicOuter(t + 1, a);
        weight[i][1] = cubicInner(t, a);
        weight[i][2] = cubicInner(1 - t, a);
        weight[i][3] = cubicOuter(2 - t, a);
        for (int k = 0; k < 4; k++) index[i][k] = Math.min(Math.max(base - 1 + k, 0), in - 1);
      }
      return new Taps(index, weight);
    }

    /**
     * PyTorch's {@code _upsample_bicubic2d_aa} (PIL's resampling): Keys' cubic with a = −0.5, its
     * support stretched by the scale when shrinking, weights normalized to sum 1.
     */
    static Taps antialiased(int in, int out) {
      double scale = (double) in / out;
      double support = scale >= 1 ? 2 * scale : 2;
      double invScale = scale >= 1 ? 1 / scale : 1;
      int[][] index = new int[out][];
      double[][] weight = new double[out][];
      for (int i = 0; i < out; i++) {
        double center = scale * (i + 0.5);
        int min = Math.max((int) (center - support + 0.5), 0);
        int size = Math.min((int) (center + support + 0.5), in) - min;
        index[i] = new int[size];
        weight[i] = new double[size];
        double total = 0;
        for (int j = 0; j < size; j++) {
          double x = Math.abs((j + min - center + 0.5) * invScale);
          double w = x < 1 ? cubicInner(x, -0.5) : x < 2 ? cubicOuter(x, -0.5) : 0;
          index[i][j] = min + j;
          weight[i][j] = w;
          total += w;
        }
        if (total != 0) for (int j = 0; j < size; j++) weight[i][j] /= total;
      }
      return new Taps(index, weight);
    }

    /** Keys' cubic for {@code 0 ≤ x ≤ 1}. */
    private static double cubicInner(double x, double a) {
      return ((a + 2) * x - (a + 3)) * x * x + 1;
    }

    /** Keys' cubic for {@code 1 ≤ x ≤ 2}. */
    private static double cubicOuter(double x, double a) {
      return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
    }
  }
}
