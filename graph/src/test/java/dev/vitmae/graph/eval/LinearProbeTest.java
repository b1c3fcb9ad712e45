package dev.vitmae.graph.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LinearProbeTest {
  /** Gaussian blobs around class centres, plus one constant feature and one pure-noise feature. */
  record Blobs(float[] x, int[] y) {
    static Blobs of(int n, double spread, long seed) {
      SplittableRandom rng = new SplittableRandom(seed);
      double[][] centres = {{2, 0, 0}, {0, 2, 0}, {0, 0, 2}, {2, 2, 2}};
      float[] x = new float[n * 5];
      int[] y = new int[n];
      for (int i = 0; i < n; i++) {
        y[i] = rng.nextInt(4);
        for (int d = 0; d < 3; d++) x[i * 5 + d] = (float) (centres[y[i]][d] + spread * gauss(rng));
        x[i * 5 + 3] = 7f;
        x[i * 5 + 4] = (float) (100 * gauss(rng));
      }
      return new Blobs(x, y);
    }

    static double gauss(SplittableRandom rng) {
      return Math.sqrt(-2 * Math.log(1 - rng.nextDouble()))
          * Math.cos(2 * Math.PI * rng.nextDouble());
    }
  }

  @Test
  void separatesSeparableClassesAndIsDeterministic() {
    Blobs train = Blobs.of(2000, 0.3, 1);
    Blobs test = Blobs.of(500, 0.3, 2);
    var options = new LinearProbe.Options(10, 64, 1e-2, 1e-4, 3);
    LinearProbe.Result r =
        LinearProbe.fitAndScore(train.x(), train.y(), test.x(), test.y(), 5, 4, options);
    assertTrue(r.testAccuracy() > 0.98, "test accuracy " + r.testAccuracy());
    assertTrue(r.trainLoss() < 0.2, "train loss " + r.trainLoss());
    assertEquals(
        r, LinearProbe.fitAndScore(train.x(), train.y(), test.x(), test.y(), 5, 4, options));
  }

  @Test
  void overlappingClassesScoreNearTheBayesRate() {
    // Centres 2 apart along each axis with spread 1.5: far from separable, far above chance (0.25).
    Blobs train = Blobs.of(4000, 1.5, 4);
    Blobs test = Blobs.of(2000, 1.5, 5);
    LinearProbe.Result r =
        LinearProbe.fitAndScore(
            train.x(), train.y(), test.x(), test.y(), 5, 4, LinearProbe.Options.defaults());
    assertTrue(
        r.testAccuracy() > 0.45 && r.testAccuracy() < 0.8, "test accuracy " + r.testAccuracy());
    assertTrue(Math.abs(r.trainAccuracy() - r.testAccuracy()) < 0.05, r.toString());
  }

  @Test
  void badInputsAreRefusedWithTheirPlace() {
    Blobs b = Blobs.of(10, 1, 6);
    var o = LinearProbe.Options.defaults();
    String m =
        assertThrows(
                IllegalArgumentException.class,
                () -> LinearProbe.fit(java.util.Arrays.copyOf(b.x(), 49), b.y(), 5, 4, o))
            .getMessage();
    assertTrue(m.contains("expected 10 examples × 5 features"), m);
    int[] labels = b.y().clone();
    labels[3] = 4;
    m =
        assertThrows(IllegalArgumentException.class, () -> LinearProbe.fit(b.x(), labels, 5, 4, o))
            .getMessage();
    assertTrue(m.contains("label 3 is 4, outside [0, 4)"), m);
    float[] x = b.x().clone();
    x[12] = Float.NaN;
    m =
        assertThrows(IllegalArgumentException.class, () -> LinearProbe.fit(x, b.y(), 5, 4, o))
            .getMessage();
    assertTrue(m.contains("feature 2 of example 2 is NaN"), m);
    assertThrows(IllegalArgumentException.class, () -> new LinearProbe.Options(0, 1, 1, 0, 0));
  }
}
