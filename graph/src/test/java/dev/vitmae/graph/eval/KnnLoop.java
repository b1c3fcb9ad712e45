package dev.vitmae.graph.eval;

/**
 * The reference k-NN: the plain triple loop {@link Knn} replaced, kept as the oracle its tests
 * compare with (cosine similarity to every training row, top k with ties to the smaller index,
 * votes weighted by {@code exp(similarity / temperature)}).
 */
final class KnnLoop {
  private KnnLoop() {}

  /** The neighbours of every query, as {@link Knn#nearest}. */
  static Knn.Neighbours nearest(float[] trainX, float[] testX, int dim, int k) {
    int n = trainX.length / dim;
    int m = testX.length / dim;
    float[] train = normalized(trainX, n, dim);
    float[] test = normalized(testX, m, dim);
    int[] index = new int[m * k];
    double[] similarity = new double[m * k];
    double[] sims = new double[n];
    int[] best = new int[k];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double dot = 0;
        for (int d = 0; d < dim; d++) dot += test[i * dim + d] * train[j * dim + d];
        sims[j] = dot;
      }
      topK(sims, best);
      for (int r = 0; r < k; r++) {
        index[i * k + r] = best[r];
        similarity[i * k + r] = sims[best[r]];
      }
    }
    return new Knn.Neighbours(index, similarity);
  }

  /** The predicted classes, as {@link Knn#predict}. */
  static int[] predict(float[] trainX, int[] trainY, float[] testX, int dim, int classes, int k) {
    Knn.Neighbours nn = nearest(trainX, testX, dim, k);
    int m = testX.length / dim;
    int[] predicted = new int[m];
    for (int i = 0; i < m; i++) {
      double[] votes = new double[classes];
      for (int r = 0; r < k; r++) {
        votes[trainY[nn.index()[i * k + r]]] +=
            Math.exp(nn.similarity()[i * k + r] / Knn.TEMPERATURE);
      }
      int p = 0;
      for (int c = 1; c < classes; c++) if (votes[c] > votes[p]) p = c;
      predicted[i] = p;
    }
    return predicted;
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
