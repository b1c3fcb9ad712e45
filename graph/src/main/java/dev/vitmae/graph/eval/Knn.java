package dev.vitmae.graph.eval;

/**
 * k-nearest-neighbour classification on frozen embeddings, the cheap standard evaluation of
 * self-supervised encoders (as DINO and I-JEPA report it): cosine similarity to every training
 * embedding, the {@code k} most similar vote with weight {@code exp(similarity / temperature)}.
 */
public final class Knn {
  /** DINO's temperature. */
  public static final double TEMPERATURE = 0.07;

  private Knn() {}

  /**
   * Accuracy on {@code testX} ({@code [m, dim]}) of a k-NN over {@code trainX} ({@code [n, dim]})
   * with labels in {@code 0..classes-1}.
   *
   * @throws IllegalArgumentException when shapes or labels disagree or {@code k} is outside 1..n
   */
  public static double accuracy(
      float[] trainX, int[] trainY, float[] testX, int[] testY, int dim, int classes, int k) {
    int n = trainY.length;
    int m = testY.length;
    if (trainX.length != (long) n * dim || testX.length != (long) m * dim) {
      throw new IllegalArgumentException(
          "features must be [count, "
              + dim
              + "]: got "
              + trainX.length
              + " floats for "
              + n
              + " train and "
              + testX.length
              + " for "
              + m
              + " test images");
    }
    if (k < 1 || k > n)
      throw new IllegalArgumentException("k must be within 1.." + n + ", got " + k);
    for (int y : trainY) {
      if (y < 0 || y >= classes)
        throw new IllegalArgumentException("label " + y + " outside 0.." + (classes - 1));
    }
    float[] train = normalized(trainX, n, dim);
    float[] test = normalized(testX, m, dim);
    int correct = 0;
    double[] sims = new double[n];
    int[] best = new int[k];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double dot = 0;
        for (int d = 0; d < dim; d++) dot += test[i * dim + d] * train[j * dim + d];
        sims[j] = dot;
      }
      topK(sims, best);
      double[] votes = new double[classes];
      for (int j : best) votes[trainY[j]] += Math.exp(sims[j] / TEMPERATURE);
      int predicted = 0;
      for (int c = 1; c < classes; c++) if (votes[c] > votes[predicted]) predicted = c;
      if (predicted == testY[i]) correct++;
    }
    return (double) correct / m;
  }

  /** The indices of the {@code best.length} largest values (ties: the smaller index). */
  private static void topK(double[] values, int[] best) {
    int filled = 0;
    for (int j = 0; j < values.length; j++) {
      int at = filled < best.length ? filled++ : best.length;
      if (at == best.length && values[j] <= values[best[best.length - 1]]) continue;
      if (at == best.length) at = best.length - 1;
      while (at > 0 && values[best[at - 1]] < values[j]) {
        best[at] = best[at - 1];
        at--;
      }
      best[at] = j;
    }
  }

  private static float[] normalized(float[] x, int rows, int dim) {
    float[] out = new float[x.length];
    for (int r = 0; r < rows; r++) {
      double norm = 0;
      for (int d = 0; d < dim; d++) norm += (double) x[r * dim + d] * x[r * dim + d];
      double inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
      for (int d = 0; d < dim; d++) out[r * dim + d] = (float) (x[r * dim + d] * inv);
    }
    return out;
  }
}
