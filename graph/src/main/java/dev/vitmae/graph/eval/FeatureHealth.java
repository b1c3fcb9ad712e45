package dev.vitmae.graph.eval;

/**
 * The usual collapse monitors of a self-supervised encoder, on a feature matrix {@code z [rows,
 * dim]} row-major: the mean over dimensions of each dimension's standard deviation (0 when every
 * image maps to the same features) and the effective rank of RankMe (Garrido et al., 2023: the
 * exponential of the entropy of the normalised singular values, from 1 for one direction up to
 * {@code min(rows, dim)}).
 */
public final class FeatureHealth {
  /** RankMe's epsilon added to every normalised singular value. */
  static final double RANKME_EPSILON = 1e-7;

  private FeatureHealth() {}

  /**
   * The mean over the {@code dim} columns of {@code z} of their population standard deviation.
   *
   * @throws IllegalArgumentException when {@code z} is not {@code [rows, dim]} or is empty
   */
  public static double meanStd(float[] z, int rows, int dim) {
    check(z, rows, dim);
    double sum = 0;
    for (int d = 0; d < dim; d++) {
      double mean = 0;
      for (int r = 0; r < rows; r++) mean += z[r * dim + d];
      mean /= rows;
      double var = 0;
      for (int r = 0; r < rows; r++) {
        double x = z[r * dim + d] - mean;
        var += x * x;
      }
      sum += Math.sqrt(var / rows);
    }
    return sum / dim;
  }

  /**
   * RankMe's effective rank of {@code z} (not centred): {@code exp(−Σ p_k log p_k)} with {@code p_k
   * = σ_k / Σσ + 1e-7} over its singular values {@code σ}; 0 for an all-zero {@code z}.
   *
   * @throws IllegalArgumentException when {@code z} is not {@code [rows, dim]} or is empty
   */
  public static double effectiveRank(float[] z, int rows, int dim) {
    double[] sigma = singularValues(z, rows, dim);
    double total = 0;
    for (double s : sigma) total += s;
    if (!(total > 0)) return total == 0 ? 0 : Double.NaN;
    double entropy = 0;
    for (double s : sigma) {
      double p = s / total + RANKME_EPSILON;
      entropy -= p * Math.log(p);
    }
    return Math.exp(entropy);
  }

  /**
   * The {@code min(rows, dim)} singular values of {@code z}, in no particular order: square roots
   * of the eigenvalues of its smaller Gram matrix, in double precision.
   */
  static double[] singularValues(float[] z, int rows, int dim) {
    check(z, rows, dim);
    boolean byColumn = dim <= rows;
    int size = byColumn ? dim : rows;
    double[][] gram = new double[size][size];
    for (int a = 0; a < size; a++) {
      for (int b = a; b < size; b++) {
        double dot = 0;
        if (byColumn) {
          for (int r = 0; r < rows; r++) dot += (double) z[r * dim + a] * z[r * dim + b];
        } else {
          for (int d = 0; d < dim; d++) dot += (double) z[a * dim + d] * z[b * dim + d];
        }
        gram[a][b] = dot;
        gram[b][a] = dot;
      }
    }
    double[] eigen = symmetricEigenvalues(gram);
    double[] sigma = new double[size];
    for (int i = 0; i < size; i++) sigma[i] = Math.sqrt(Math.max(0, eigen[i]));
    return sigma;
  }

  /** The eigenvalues of the symmetric {@code a} (overwritten), by cyclic Jacobi rotations. */
  static double[] symmetricEigenvalues(double[][] a) {
    int n = a.length;
    for (int sweep = 0; sweep < 64; sweep++) {
      double off = 0;
      double all = 0;
      for (int p = 0; p < n; p++) {
        for (int q = 0; q < n; q++) {
          all += a[p][q] * a[p][q];
          if (p != q) off += a[p][q] * a[p][q];
        }
      }
      if (off <= 1e-30 * all || off == 0) break;
      for (int p = 0; p < n - 1; p++) {
        for (int q = p + 1; q < n; q++) {
          if (a[p][q] == 0) continue;
          // The rotation that zeroes a[p][q] (Numerical Recipes' stable form).
          double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
          double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
          if (theta == 0) t = 1;
          double c = 1 / Math.sqrt(t * t + 1);
          double s = t * c;
          for (int k = 0; k < n; k++) {
            double kp = a[k][p];
            double kq = a[k][q];
            a[k][p] = c * kp - s * kq;
            a[k][q] = s * kp + c * kq;
          }
          double[] rowP = a[p];
          double[] rowQ = a[q];
          for (int k = 0; k < n; k++) {
            double pk = rowP[k];
            double qk = rowQ[k];
            rowP[k] = c * pk - s * qk;
            rowQ[k] = s * pk + c * qk;
          }
        }
      }
    }
    double[] eigen = new double[n];
    for (int i = 0; i < n; i++) eigen[i] = a[i][i];
    return eigen;
  }

  private static void check(float[] z, int rows, int dim) {
    if (rows <= 0 || dim <= 0 || z.length != (long) rows * dim) {
      throw new IllegalArgumentException(
          "features must be [rows, dim] with rows, dim > 0: got "
              + z.length
              + " floats for ["
              + rows
              + ", "
              + dim
              + "]");
    }
  }
}
