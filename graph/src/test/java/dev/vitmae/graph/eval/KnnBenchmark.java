package dev.vitmae.graph.eval;

import java.util.Locale;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * Times {@link Knn#accuracy} on Gaussian features, and the reference loop on a slice of the queries
 * (extrapolated to all of them). Arguments: train count, test count, dim, k, loop queries (0: no
 * loop). Run from the graph module's test classpath, e.g. {@code java -cp ...
 * dev.vitmae.graph.eval.KnnBenchmark 60000 10000 2048 20 200}.
 */
public final class KnnBenchmark {
  private KnnBenchmark() {}

  public static void main(String[] args) {
    int n = Integer.parseInt(args[0]);
    int m = Integer.parseInt(args[1]);
    int dim = Integer.parseInt(args[2]);
    int k = Integer.parseInt(args[3]);
    int loopQueries = args.length > 4 ? Integer.parseInt(args[4]) : 0;
    int classes = 10;
    SplittableRandom random = new SplittableRandom(7);
    float[] train = gaussian(random, n * dim);
    float[] test = gaussian(random, m * dim);
    int[] trainY = random.ints(n, 0, classes).toArray();
    int[] testY = random.ints(m, 0, classes).toArray();
    // One small call first: ND4J's native start-up is not the k-NN's cost.
    Knn.accuracy(train, trainY, java.util.Arrays.copyOf(test, dim), new int[1], dim, classes, k);
    long start = System.nanoTime();
    double accuracy = Knn.accuracy(train, trainY, test, testY, dim, classes, k);
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "knn %d train x %d test x %d dims, k=%d: %.1f s (accuracy %.4f, chance %.2f)%n",
        n,
        m,
        dim,
        k,
        seconds,
        accuracy,
        1.0 / classes);
    if (loopQueries > 0) {
      float[] slice = java.util.Arrays.copyOf(test, loopQueries * dim);
      start = System.nanoTime();
      Knn.Neighbours loop = KnnLoop.nearest(train, slice, dim, k);
      double loopSeconds = (System.nanoTime() - start) / 1e9;
      Knn.Neighbours fast = Knn.nearest(train, slice, dim, k);
      boolean same =
          java.util.Arrays.equals(loop.index(), fast.index())
              && java.util.Arrays.equals(loop.similarity(), fast.similarity());
      System.out.printf(
          Locale.ROOT,
          "loop on %d of the queries: %.1f s, i.e. %.0f s for all %d (%.1fx);"
              + " same neighbours and similarities: %s%n",
          loopQueries,
          loopSeconds,
          loopSeconds * m / loopQueries,
          m,
          loopSeconds * m / loopQueries / seconds,
          same);
    }
  }

  private static float[] gaussian(SplittableRandom random, int count) {
    float[] x = new float[count];
    Random gaussian = new Random(random.nextLong());
    for (int i = 0; i < count; i++) x[i] = (float) gaussian.nextGaussian();
    return x;
  }
}
