package dev.vitmae.graph.eval;

import dev.vitmae.datasets.ImageSource;
import dev.vitmae.graph.model.Names;
import dev.vitmae.graph.train.Task;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Features of frozen encoders for probes: the mean of an encoder graph's patch {@code tokens}, or
 * the raw pixels. Results are {@code [count, dim]} row-major.
 */
public final class Features {
  /** Images per encoder call. */
  public static final int BATCH = 500;

  private Features() {}

  /**
   * Mean over patch tokens of {@code encoder}'s {@code tokens} output ({@code images} → {@code
   * tokens [B, n, dim]}), for every image of {@code data}.
   */
  public static float[] meanTokens(SameDiff encoder, ImageSource data) {
    float[] features = null;
    for (int from = 0; from < data.count(); from += BATCH) {
      int[] idx = Task.range(from, Math.min(data.count(), from + BATCH));
      INDArray tokens =
          encoder
              .output(Map.of(Names.IMAGES, Task.images(data, idx)), Names.TOKENS)
              .get(Names.TOKENS);
      float[] mean = tokens.mean(1).dup('c').data().asFloat();
      int dim = mean.length / idx.length;
      if (features == null) features = new float[Math.multiplyExact(data.count(), dim)];
      System.arraycopy(mean, 0, features, from * dim, mean.length);
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
