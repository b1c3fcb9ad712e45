package dev.vitmae.graph.train;

import dev.vitmae.datasets.ImageSource;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** What a {@link Trainer} trains: a graph, how to feed it a batch, and how to score it. */
public interface Task {
  ModelKind kind();

  /** The model config as JSON (stored in checkpoints and ONNX metadata). */
  String configJson();

  /** Builds the graph with freshly initialized parameters. */
  SameDiff build(DataType dtype, long seed);

  /** Placeholder values for the examples {@code indices}; {@code seed} drives any randomness. */
  Map<String, INDArray> feeds(ImageSource data, int[] indices, long seed);

  /** Name of the evaluation metric, e.g. {@code test_masked_mse}. */
  String metricName();

  /** The metric on {@code data}, deterministic for given weights. */
  double evaluate(SameDiff sd, ImageSource data, int batchSize);

  /**
   * Called with the live parameters whenever the trainer sets them (fresh, loaded or partly
   * loaded): a task derives its own state from them here (I-JEPA: the target encoder starts as a
   * copy of the context encoder).
   */
  default void paramsSet(Map<String, INDArray> params) {}

  /**
   * Called after optimizer step {@code step} (1-based) of {@code totalSteps} (0 when unknown):
   * I-JEPA moves its target encoder towards the context encoder here.
   */
  default void afterStep(Map<String, INDArray> params, long step, long totalSteps) {}

  /** Exponential-moving-average weights to checkpoint, by name (none by default). */
  default Map<String, INDArray> ema() {
    return Map.of();
  }

  /** Images {@code [B, C, H, W]} in [0, 1] of the examples {@code indices}. */
  static INDArray images(ImageSource data, int[] indices) {
    float[] pixels = new float[indices.length * data.valuesPerImage()];
    data.fill(indices, pixels, 0);
    return Nd4j.create(pixels, new long[] {indices.length, data.channels(), data.imageSize(),
        data.imageSize()}, 'c');
  }

  /** The examples {@code from, from+1, ... to-1}. */
  static int[] range(int from, int to) {
    int[] r = new int[to - from];
    for (int i = 0; i < r.length; i++) r[i] = from + i;
    return r;
  }
}
