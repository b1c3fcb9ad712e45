package dev.vitmae.graph.train;

import dev.vitmae.datasets.ImageSource;
import dev.vitmae.graph.config.TrainConfig;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What a {@link Trainer} trains: a graph, how to feed it a batch, how to score it, and which
 * inference models it provides for export and serving. vitmae's ViT, MAE and I-JEPA are tasks; a
 * model of your own is one too (build its graph from the {@code nn} blocks, give it a {@link
 * TaskFactory} so that its checkpoints can be reopened).
 *
 * <p>The training graph must have a scalar output named {@code loss} ({@link
 * dev.vitmae.graph.model.Names#LOSS}); its trainable variables are the parameters.
 */
public interface Task {
  /**
   * The model kind stored in checkpoints, e.g. {@code mae}; {@link TaskFactory#kind()} matches it.
   */
  String kind();

  /** The model config as JSON (stored in checkpoints and ONNX metadata). */
  String configJson();

  /** Builds the graph with freshly initialized parameters. */
  SameDiff build(DataType dtype, long seed);

  /** Whether {@link #feeds} reads labels (a supervised task). */
  default boolean needsLabels() {
    return false;
  }

  /**
   * The models this task provides for serving, in export order (e.g. {@code encoder}, then {@code
   * mae}). Each one's trainable variables must be named as in the training graph (or in {@link
   * #ema()}).
   */
  List<InferenceModel> inferenceModels();

  /**
   * The provided model called {@code name}.
   *
   * @throws IllegalArgumentException listing the available names when there is none
   */
  default InferenceModel inferenceModel(String name) {
    for (InferenceModel m : inferenceModels()) if (m.name().equals(name)) return m;
    throw new IllegalArgumentException(
        "a "
            + kind()
            + " model provides no '"
            + name
            + "' model; available: "
            + inferenceModels().stream().map(InferenceModel::name).toList());
  }

  /**
   * Placeholder values for {@code batch} (its images, labels, and seed for any randomness such as
   * masks).
   */
  Map<String, INDArray> feeds(Batch batch);

  /**
   * This task as {@code train} trains it: the {@link Trainer} calls it once and feeds the result.
   * Only the ViT classifier reads {@link TrainConfig#labelSmoothing()} and {@link
   * TrainConfig#dropPath()} ({@link VitTask}); this default refuses them.
   *
   * @throws IllegalArgumentException when {@code train} asks for label smoothing of a task without
   *     labels, or for stochastic depth
   */
  default Task trainedWith(TrainConfig train) {
    if (train.dropPath() != 0) {
      throw new IllegalArgumentException(
          "drop path "
              + train.dropPath()
              + " is stochastic depth of a ViT classifier's encoder, and a "
              + kind()
              + " model is not one: leave it at 0");
    }
    if (train.labelSmoothing() != 0) {
      throw new IllegalArgumentException(
          "label smoothing "
              + train.labelSmoothing()
              + " needs labels, and a "
              + kind()
              + " model trains without them: leave it at 0");
    }
    return this;
  }

  /**
   * Checks, before training, that {@code data} fits this task (e.g. no more classes than the
   * classifier has outputs).
   *
   * @throws IllegalArgumentException naming the problem
   */
  default void checkData(ImageSource data) {}

  /** Name of the evaluation metric, e.g. {@code test_masked_mse}. */
  String metricName();

  /**
   * The metric on {@code data}, deterministic for given weights, its forward passes run through
   * {@code forwards} (the executor of the trainer's engine: {@link Trainer#evaluate}; {@link
   * Forwards#sameDiff()} without a trainer).
   */
  double evaluate(SameDiff sd, Forwards forwards, ImageSource data, int batchSize);

  /**
   * Called with the live parameters whenever the trainer sets them (fresh, loaded or partly
   * loaded): a task derives its own state from them here (I-JEPA: the target encoder starts as a
   * copy of the context encoder).
   */
  default void paramsSet(Map<String, INDArray> params) {}

  /**
   * Called after optimizer step {@code step} (1-based) of a run of {@code totalSteps} steps: I-JEPA
   * moves its target encoder towards the context encoder here, with a momentum that follows its
   * schedule over {@code totalSteps}.
   */
  default void afterStep(Map<String, INDArray> params, long step, long totalSteps) {}

  /**
   * Whether {@link #afterStep} follows a schedule over the whole run (so a trainer must know the
   * run's length before the first step).
   */
  default boolean schedulesOverRun() {
    return false;
  }

  /**
   * The forward passes this task should run outside its training step ({@link #feeds}' computed
   * inputs, {@link #evaluate}) through: its trainer's, on the trainer's engine. Called once, by the
   * trainer's constructor; until then a task runs them on SameDiff.
   */
  default void forwardsOn(Forwards forwards) {}

  /** Exponential-moving-average weights to checkpoint, by name (none by default). */
  default Map<String, INDArray> ema() {
    return Map.of();
  }

  /** Images {@code [B, C, H, W]} in [0, 1] of the examples {@code indices}. */
  static INDArray images(ImageSource data, int[] indices) {
    float[] pixels = new float[indices.length * data.valuesPerImage()];
    data.fill(indices, pixels, 0);
    return Nd4j.create(
        pixels,
        new long[] {indices.length, data.channels(), data.imageSize(), data.imageSize()},
        'c');
  }

  /** The examples {@code from, from+1, ... to-1}. */
  static int[] range(int from, int to) {
    int[] r = new int[to - from];
    for (int i = 0; i < r.length; i++) r[i] = from + i;
    return r;
  }
}
