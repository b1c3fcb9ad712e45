package dev.vitmae.graph.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
