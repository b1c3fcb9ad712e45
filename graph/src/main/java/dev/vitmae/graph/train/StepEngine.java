package dev.vitmae.graph.train;

import dev.vitmae.graph.config.TrainConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Executes a {@link Trainer}'s optimizer steps: the forward pass, loss, gradients and Adam update
 * of one batch. The loop around it (data, schedules, listeners, checkpoints, resume, the task's
 * EMA) is the trainer's and the same for every engine; an engine owns the live parameters and Adam
 * moments while it is open, so a checkpoint written on one engine resumes on another.
 *
 * <p>Two engines exist: {@link SameDiffEngine} (ND4J executes SameDiff's graph; the reference) and
 * the ONNX Runtime engine of {@code vitmae-train-ort} (the same graph and gradient function written
 * as one ONNX training step).
 */
public interface StepEngine extends AutoCloseable {
  /** The engine's name, recorded in checkpoints and metrics: {@code samediff}, {@code ort}. */
  String name();

  /** What runs the steps, for logs: e.g. {@code ort on CUDAExecutionProvider}. */
  default String describe() {
    return name();
  }

  /**
   * One optimizer step on {@code feeds} at learning rate {@code lr} with per-parameter scales as
   * opened; {@code t} is the 1-based step number (Adam's bias correction).
   *
   * @return the loss before the update; when it is not finite, nothing changed
   */
  double step(Map<String, INDArray> feeds, double lr, long t);

  /** Live parameters (trainable and frozen) by name, in the graph's order. */
  Map<String, INDArray> params();

  /** Live Adam first moments of the parameters updated so far, by name. */
  Map<String, INDArray> firstMoments();

  /** Live Adam second moments, by name. */
  Map<String, INDArray> secondMoments();

  /**
   * Writes the live parameters into the training graph's own arrays, so that evaluation and export
   * through the graph see them (a no-op when the engine trains the graph's arrays in place).
   */
  void syncGraph();

  /** Releases native resources; the parameters and moments were synced into the trainer first. */
  @Override
  void close();

  /**
   * Rows {@code [from, to)} of every feed, each with the batch as its first dimension: a
   * micro-batch (the feeds themselves when that is all of them). Engines weigh a chunk's loss and
   * gradients by {@code (to − from) / batch}, which gives the whole batch's values because every
   * vitmae loss weighs each example equally.
   */
  static Map<String, INDArray> rows(Map<String, INDArray> feeds, long from, long to) {
    long n = feeds.values().iterator().next().size(0);
    if (from == 0 && to == n) return feeds;
    Map<String, INDArray> out = new LinkedHashMap<>();
    feeds.forEach((k, v) -> out.put(k, v.get(NDArrayIndex.interval(from, to)).dup('c')));
    return out;
  }

  /**
   * What an engine is opened on: the training graph with its gradient function, the parameters in
   * graph order, those that train (the rest are frozen), per-parameter lr scales (absent: 1), the
   * run's config, and the Adam moments to continue from (possibly empty).
   */
  record Setup(
      SameDiff graph,
      List<String> paramNames,
      List<String> trainable,
      Map<String, Double> lrScales,
      TrainConfig config,
      Map<String, INDArray> firstMoments,
      Map<String, INDArray> secondMoments,
      MemoryPolicy memoryPolicy) {}

  /** Opens engines of one kind; pass one to {@link Trainer#engine(Factory)}. */
  interface Factory {
    /** The engine's name ({@link StepEngine#name()}). */
    String name();

    StepEngine open(Setup setup);

    /**
     * A forward pass of {@code graph} to {@code outputs} on this engine's executor, for what a task
     * computes outside its training step ({@link Forwards}); SameDiff's own by default.
     */
    default Forward forward(SameDiff graph, List<String> outputs) {
      return SameDiffEngine.forward(graph, outputs);
    }
  }

  /**
   * One graph's forward pass to fixed outputs. The graph's variables are read at every run, so
   * weights changed in place between runs (an EMA, parameters synced from an engine) are seen.
   */
  interface Forward extends AutoCloseable {
    /** The outputs for {@code inputs} (the graph's placeholders by name). */
    Map<String, INDArray> run(Map<String, INDArray> inputs);

    /** Releases native resources (none for SameDiff's). */
    @Override
    void close();
  }
}
