package dev.vitmae.graph.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class KnnTest {
  @Test
  void cosineNeighboursVote() {
    // Class 0 points along +x, class 1 along +y; lengths differ (cosine ignores them).
    float[] train = {1, 0, 5, 0.1f, 0.2f, 3, 0, 1};
    int[] trainY = {0, 0, 1, 1};
    float[] test = {10, 1, 0.1f, 7, 1, 1.2f};
    int[] testY = {0, 1, 1};
    assertEquals(1.0, Knn.accuracy(train, trainY, test, testY, 2, 2, 1));
    assertEquals(1.0, Knn.accuracy(train, trainY, test, testY, 2, 2, 2));
    // With every neighbour voting, closeness still decides through exp(sim / T).
    assertEquals(1.0, Knn.accuracy(train, trainY, test, testY, 2, 2, 4));
    assertEquals(2 / 3.0, Knn.accuracy(train, trainY, test, new int[] {0, 1, 0}, 2, 2, 1), 1e-12);
  }

  @Test
  void matchesTheLoopOnRandomDataAcrossBlocks() {
    Random random = new Random(1);
    int dim = 24;
    float[] train = gaussian(random, 700 * dim);
    float[] test = gaussian(random, 130 * dim);
    for (int k : new int[] {1, 5, 20, 700}) {
      // Blocks that do not divide the sizes, one train block, one query block.
      assertSameNeighbours(train, test, dim, k, 32, 100);
      assertSameNeighbours(train, test, dim, k, 130, 700);
      assertSameNeighbours(train, test, dim, k, 7, 1);
    }
  }

  @Test
  void tiesGoToTheSmallerIndexAsInTheLoop() {
    Random random = new Random(2);
    int dim = 4;
    int n = 400;
    int m = 60;
    // Few distinct directions: many training rows have exactly the same similarity to a query.
    float[] train = new float[n * dim];
    for (int i = 0; i < train.length; i++) train[i] = random.nextInt(3) - 1;
    // Exact duplicates of earlier rows, far apart, and all-zero rows (similarity 0 to everything).
    System.arraycopy(train, 3 * dim, train, 390 * dim, dim);
    System.arraycopy(train, 17 * dim, train, 250 * dim, dim);
    java.util.Arrays.fill(train, 100 * dim, 104 * dim, 0f);
    float[] test = new float[m * dim];
    for (int i = 0; i < test.length; i++) test[i] = random.nextInt(3) - 1;
    System.arraycopy(train, 3 * dim, test, 0, dim);
    for (int k : new int[] {1, 3, 20, 150}) assertSameNeighbours(train, test, dim, k, 16, 64);
  }

  @Test
  void nearTiesBelowFloatPrecisionAreOrderedExactly() {
    // Rows one float ulp apart: the float32 product cannot order them, the exact re-score must.
    Random random = new Random(3);
    int dim = 64;
    float[] base = gaussian(random, dim);
    float[] train = new float[300 * dim];
    for (int r = 0; r < 300; r++) {
      for (int d = 0; d < dim; d++) {
        float v = base[d];
        int steps = random.nextInt(5) - 2;
        for (int s = 0; s < Math.abs(steps); s++) v = steps > 0 ? Math.nextUp(v) : Math.nextDown(v);
        train[r * dim + d] = v;
      }
    }
    float[] test = new float[20 * dim];
    for (int q = 0; q < 20; q++) {
      for (int d = 0; d < dim; d++)
        test[q * dim + d] = base[d] + 1e-3f * (float) random.nextGaussian();
    }
    for (int k : new int[] {1, 10, 100}) assertSameNeighbours(train, test, dim, k, 8, 50);
  }

  @Test
  void predictionsAndAccuracyMatchTheLoop() {
    Random random = new Random(4);
    int dim = 16;
    int classes = 5;
    int n = 500;
    int m = 200;
    float[] centres = gaussian(random, classes * dim);
    int[] trainY = new int[n];
    int[] testY = new int[m];
    float[] train = clustered(random, centres, trainY, dim, classes);
    float[] test = clustered(random, centres, testY, dim, classes);
    for (int k : new int[] {1, 20}) {
      int[] expected = KnnLoop.predict(train, trainY, test, dim, classes, k);
      assertArrayEquals(expected, Knn.predict(train, trainY, test, m, dim, classes, k));
      int correct = 0;
      for (int i = 0; i < m; i++) if (expected[i] == testY[i]) correct++;
      assertEquals((double) correct / m, Knn.accuracy(train, trainY, test, testY, dim, classes, k));
    }
  }

  private static void assertSameNeighbours(
      float[] train, float[] test, int dim, int k, int queryBlock, int trainBlock) {
    Knn.Neighbours expected = KnnLoop.nearest(train, test, dim, k);
    Knn.Neighbours actual = Knn.nearest(train, test, dim, k, queryBlock, trainBlock);
    String where = "k=" + k + ", blocks " + queryBlock + "x" + trainBlock;
    assertArrayEquals(expected.index(), actual.index(), where);
    assertArrayEquals(expected.similarity(), actual.similarity(), where);
  }

  private static float[] gaussian(Random random, int count) {
    float[] x = new float[count];
    for (int i = 0; i < count; i++) x[i] = (float) random.nextGaussian();
    return x;
  }

  /** Points around {@code centres}, one per label slot, their class written to {@code labels}. */
  private static float[] clustered(
      Random random, float[] centres, int[] labels, int dim, int classes) {
    float[] x = new float[labels.length * dim];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = random.nextInt(classes);
      for (int d = 0; d < dim; d++) {
        x[i * dim + d] = centres[labels[i] * dim + d] + 1.5f * (float) random.nextGaussian();
      }
    }
    return x;
  }

  @Test
  void badInputsAreNamed() {
    assertThrows(
        IllegalArgumentException.class,
        () -> Knn.accuracy(new float[4], new int[] {0, 1}, new float[2], new int[] {0}, 2, 2, 3));
    assertThrows(
        IllegalArgumentException.class,
        () -> Knn.accuracy(new float[3], new int[] {0, 1}, new float[2], new int[] {0}, 2, 2, 1));
    assertThrows(
        IllegalArgumentException.class,
        () -> Knn.accuracy(new float[4], new int[] {0, 2}, new float[2], new int[] {0}, 2, 2, 1));
  }
}
