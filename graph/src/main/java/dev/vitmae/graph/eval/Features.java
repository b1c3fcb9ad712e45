package dev.vitmae.graph.eval;

import dev.vitmae.contract.TensorNames;
import dev.vitmae.datasets.ImageSource;
import dev.vitmae.graph.train.Task;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Features of frozen encoders for probes: an encoder graph's patch {@code tokens}, averaged or
 * concatenated, or the raw pixels. Results are {@code [count, dim]} row-major.
 */
public final class Features {
  /** Images per encoder call. */
  public static final int BATCH = 500;

  private Features() {}

  /** How a probe turns an image's {@code [n, dim]} tokens into one feature vector. */
  public enum TokenReadout {
    /** The mean over the n tokens: {@code dim} features. */
    MEAN,
    /**
     * The n tokens one after the other (token-major): {@code n·dim} features that keep position.
     */
    CONCAT
  }

  /**
   * Mean over patch tokens of {@code encoder}'s {@code tokens} output ({@code images} → {@code
   * tokens [B, n, dim]}), for every image of {@code data}.
   */
  public static float[] meanTokens(SameDiff encoder, ImageSource data) {
    return tokens(encoder, data, TokenReadout.MEAN);
  }

  /**
   * {@code encoder}'s patch tokens for every image of {@code data}, read out as {@code readout}.
   */
  public static float[] tokens(SameDiff encoder, ImageSource data, TokenReadout readout) {
    float[] features = null;
    for (int from = 0; from < data.count(); from += BATCH) {
      int[] idx = Task.range(from, Math.min(data.count(), from + BATCH));
      INDArray tokens =
          encoder
              .output(Map.of(TensorNames.IMAGES, Task.images(data, idx)), TensorNames.TOKENS)
              .get(TensorNames.TOKENS);
      INDArray pooled = readout == TokenReadout.MEAN ? tokens.mean(1) : tokens;
      float[] batch = pooled.dup('c').data().asFloat();
      int dim = batch.length / idx.length;
      if (features == null) features = new float[Math.multiplyExact(data.count(), dim)];
      System.arraycopy(batch, 0, features, from * dim, batch.length);
    }
    return features;
  }

  /** Every image of {@code data} as its pixels, {@code [count, C·H·W]}. */
  public static float[] pixels(ImageSource data) {
    float[] x = new float[Math.multiplyExact(data.count(), data.valuesPerImage())];
    data.fill(Task.range(0, data.count()), x, 0);
    return x;
  }
}
