package dev.vitmae.graph.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FeatureHealthTest {
  @Test
  void meanStdIsTheMeanOfPopulationStds() {
    // Column 0: {0, 2} (std 1); column 1: {1, 5} (std 2).
    assertEquals(1.5, FeatureHealth.meanStd(new float[] {0, 1, 2, 5}, 2, 2), 1e-12);
    assertEquals(0.0, FeatureHealth.meanStd(new float[] {3, -1, 3, -1, 3, -1}, 3, 2));
  }

  @Test
  void collapsedFeaturesHaveRankOne() {
    float[] z = new float[64 * 16];
    for (int r = 0; r < 64; r++) {
      for (int d = 0; d < 16; d++) z[r * 16 + d] = 0.1f * d - 0.7f;
    }
    assertEquals(0.0, FeatureHealth.meanStd(z, 64, 16));
    assertEquals(1.0, FeatureHealth.effectiveRank(z, 64, 16), 1e-4);
    assertEquals(0.0, FeatureHealth.effectiveRank(new float[12], 3, 4));
  }

  @Test
  void equalOrthogonalDirectionsCountFully() {
    // 3 rows along 3 axes of a 5-dim space, same length: rank 3 (RankMe's epsilon aside).
    float[] z = new float[3 * 5];
    for (int r = 0; r < 3; r++) z[r * 5 + r + 1] = 2f;
    assertEquals(3.0, FeatureHealth.effectiveRank(z, 3, 5), 1e-4);
    // The same rows many times: the Gram matrix is then dim x dim.
    float[] many = new float[30 * 5];
    for (int i = 0; i < 10; i++) System.arraycopy(z, 0, many, i * 15, 15);
    assertEquals(3.0, FeatureHealth.effectiveRank(many, 30, 5), 1e-4);
  }

  @Test
  void isotropicGaussianFeaturesHaveNearlyFullRank() {
    Random random = new Random(5);
    int rows = 512;
    int dim = 32;
    float[] z = new float[rows * dim];
    for (int i = 0; i < z.length; i++) z[i] = (float) random.nextGaussian();
    double rank = FeatureHealth.effectiveRank(z, rows, dim);
    assertTrue(rank > 30 && rank <= 32, "rank " + rank);
    assertEquals(1.0, FeatureHealth.meanStd(z, rows, dim), 0.05);
  }

  @Test
  void jacobiFindsTheEigenvaluesOfARotatedDiagonal() {
    Random random = new Random(6);
    int n = 12;
    double[] lambda = new double[n];
    for (int i = 0; i < n; i++) lambda[i] = i == 3 ? 0 : random.nextDouble() * 10;
    // A random orthonormal basis (Gram-Schmidt), then A = Q diag(lambda) Q^T.
    double[][] q = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < n; k++) q[i][k] = random.nextGaussian();
      for (int j = 0; j < i; j++) {
        double dot = 0;
        for (int k = 0; k < n; k++) dot += q[i][k] * q[j][k];
        for (int k = 0; k < n; k++) q[i][k] -= dot * q[j][k];
      }
      double norm = 0;
      for (int k = 0; k < n; k++) norm += q[i][k] * q[i][k];
      for (int k = 0; k < n; k++) q[i][k] /= Math.sqrt(norm);
    }
    double[][] a = new double[n][n];
    for (int r = 0; r < n; r++) {
      for (int c = 0; c < n; c++) {
        for (int i = 0; i < n; i++) a[r][c] += q[i][r] * lambda[i] * q[i][c];
      }
    }
    double[] eigen = FeatureHealth.symmetricEigenvalues(a);
    Arrays.sort(eigen);
    Arrays.sort(lambda);
    assertArrayEquals(lambda, eigen, 1e-9);
  }

  @Test
  void badShapesAreNamed() {
    assertThrows(IllegalArgumentException.class, () -> FeatureHealth.meanStd(new float[5], 2, 2));
    assertThrows(
        IllegalArgumentException.class, () -> FeatureHealth.effectiveRank(new float[0], 0, 2));
  }
}
