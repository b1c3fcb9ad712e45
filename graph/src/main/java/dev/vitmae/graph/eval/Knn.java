package dev.vitmae.graph.eval;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * k-nearest-neighbour classification on frozen embeddings, the cheap standard evaluation of
 * self-supervised encoders (as DINO and I-JEPA report it): cosine similarity to every training
 * embedding, the {@code k} most similar vote with weight {@code exp(similarity / temperature)}.
 *
 * <p>Similarities come from float32 matrix products of blocks of queries and training rows; a
 * streaming top-k per query re-scores, exactly (float products summed in double), only the rows
 * whose float32 similarity could reach its current k-th best. Neighbours, their similarities and
 * tie-breaking (the smaller training index first) are therefore the same as a plain loop's.
 */
public final class Knn {
  /** DINO's temperature. */
  public static final double TEMPERATURE = 0.07;

  /** Queries per matrix product. */
  static final int QUERY_BLOCK = 512;

  /** Training rows per matrix product. */
  static final int TRAIN_BLOCK = 8192;

  private Knn() {}

  /**
   * Accuracy on {@code testX} ({@code [m, dim]}) of a k-NN over {@code trainX} ({@code [n, dim]})
   * with labels in {@code 0..classes-1}.
   *
   * @throws IllegalArgumentException when shapes or labels disagree or {@code k} is outside 1..n
   */
  public static double accuracy(
      float[] trainX, int[] trainY, float[] testX, int[] testY, int dim, int classes, int k) {
    int[] predicted = predict(trainX, trainY, testX, testY.length, dim, classes, k);
    int correct = 0;
    for (int i = 0; i < predicted.length; i++) if (predicted[i] == testY[i]) correct++;
    return (double) correct / testY.length;
  }

  /**
   * The predicted class of each of the {@code m} rows of {@code testX} ({@code [m, dim]}): the
   * class with the largest summed vote of its {@code k} nearest training rows (ties: the smaller
   * class).
   *
   * @throws IllegalArgumentException when shapes or labels disagree or {@code k} is outside 1..n
   */
  public static int[] predict(
      float[] trainX, int[] trainY, float[] testX, int m, int dim, int classes, int k) {
    int n = trainY.length;
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
    Neighbours nn = nearest(trainX, testX, dim, k);
    int[] predicted = new int[m];
    for (int i = 0; i < m; i++) {
      double[] votes = new double[classes];
      for (int r = 0; r < k; r++) {
        votes[trainY[nn.index[i * k + r]]] += Math.exp(nn.similarity[i * k + r] / TEMPERATURE);
      }
      for (int c = 1; c < classes; c++) if (votes[c] > votes[predicted[i]]) predicted[i] = c;
    }
    return predicted;
  }

  /**
   * The {@code k} nearest training rows of each query, most similar first: {@code index} and {@code
   * similarity} are {@code [m, k]} row-major.
   */
  record Neighbours(int[] index, double[] similarity) {}

  /** The {@code k} most cosine-similar rows of {@code trainX} for every row of {@code testX}. */
  static Neighbours nearest(float[] trainX, float[] testX, int dim, int k) {
    return nearest(trainX, testX, dim, k, QUERY_BLOCK, TRAIN_BLOCK);
  }

  /** {@link #nearest(float[], float[], int, int)} with the given block sizes. */
  static Neighbours nearest(
      float[] trainX, float[] testX, int dim, int k, int queryBlock, int trainBlock) {
    int n = trainX.length / dim;
    int m = testX.length / dim;
    float[] train = normalized(trainX, n, dim);
    float[] test = normalized(testX, m, dim);
    // |float32 product − exact| ≤ γ_dim·Σ|a_i·b_i| ≤ γ_dim for unit rows; twice that, for margin.
    double slack = 2.0 * (dim + 4) * 0x1p-24;
    INDArray[] blocks = new INDArray[(n + trainBlock - 1) / trainBlock];
    for (int b = 0; b < blocks.length; b++) {
      int from = b * trainBlock;
      int rows = Math.min(n, from + trainBlock) - from;
      float[] block = Arrays.copyOfRange(train, from * dim, (from + rows) * dim);
      // The rows' memory read column-major: [dim, rows], the transpose without a copy.
      blocks[b] = Nd4j.create(block, new long[] {dim, rows}, 'f');
    }
    int[] index = new int[m * k];
    double[] similarity = new double[m * k];
    for (int q0 = 0; q0 < m; q0 += queryBlock) {
      int queries = Math.min(m, q0 + queryBlock) - q0;
      INDArray q =
          Nd4j.create(
              Arrays.copyOfRange(test, q0 * dim, (q0 + queries) * dim),
              new long[] {queries, dim},
              'c');
      TopK[] best = new TopK[queries];
      for (int r = 0; r < queries; r++) best[r] = new TopK(k);
      INDArray s = null;
      for (int b = 0; b < blocks.length; b++) {
        int from = b * trainBlock;
        int rows = (int) blocks[b].size(1);
        if (s == null || s.size(1) != rows) {
          s = Nd4j.createUninitialized(DataType.FLOAT, new long[] {queries, rows}, 'c');
        }
        Nd4j.gemm(q, blocks[b], s, false, false, 1.0, 0.0);
        float[] approx = s.data().asFloat();
        int base = q0;
        IntStream.range(0, queries)
            .parallel()
            .forEach(
                r -> {
                  TopK top = best[r];
                  for (int c = 0; c < rows; c++) {
                    // Rows that cannot enter the top k (their exact value ≤ the k-th) are skipped.
                    if (top.full() && approx[r * rows + c] < top.last() - slack) continue;
                    int j = from + c;
                    top.offer(j, dot(test, (base + r) * dim, train, j * dim, dim));
                  }
                });
      }
      for (int r = 0; r < queries; r++) {
        System.arraycopy(best[r].index, 0, index, (q0 + r) * k, k);
        System.arraycopy(best[r].value, 0, similarity, (q0 + r) * k, k);
      }
    }
    return new Neighbours(index, similarity);
  }

  /** The cosine of two unit rows as the reference loop computes it: float products, double sum. */
  private static double dot(float[] a, int aFrom, float[] b, int bFrom, int dim) {
    double dot = 0;
    for (int d = 0; d < dim; d++) dot += a[aFrom + d] * b[bFrom + d];
    return dot;
  }

  /**
   * The {@code k} largest values offered so far, in decreasing order; offered in increasing index
   * order, ties keep the smaller index.
   */
  private static final class TopK {
    final int[] index;
    final double[] value;
    int filled;

    TopK(int k) {
      index = new int[k];
      value = new double[k];
    }

    boolean full() {
      return filled == index.length;
    }

    double last() {
      return value[index.length - 1];
    }

    void offer(int j, double v) {
      int k = index.length;
      int at = filled < k ? filled++ : k;
      if (at == k && v <= value[k - 1]) return;
      if (at == k) at = k - 1;
      while (at > 0 && value[at - 1] < v) {
        index[at] = index[at - 1];
        value[at] = value[at - 1];
        at--;
      }
      index[at] = j;
      value[at] = v;
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
