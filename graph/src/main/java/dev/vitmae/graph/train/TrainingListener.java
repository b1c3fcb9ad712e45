package dev.vitmae.graph.train;

import java.io.IOException;

/**
 * Callbacks of {@link Trainer#fit}: progress bars, evaluation, metrics files, checkpoints and
 * pictures are listeners, so a run writes nothing its caller did not ask for. Listeners run in the
 * order given; one that adds a metric to {@link EpochResult#metrics()} (an evaluation) must come
 * before those that record it. Every method has an empty default.
 */
public interface TrainingListener {
  /** Before epoch {@code epoch} (0-based) of {@code epochs}, which has {@code steps} steps. */
  default void epochStarted(Trainer trainer, int epoch, int epochs, int steps) {}

  /** After each optimizer step. */
  default void stepDone(Trainer trainer, StepResult step) {}

  /**
   * After each epoch, once the loss and every weight were checked to be finite.
   *
   * @throws IOException when the listener's output (a checkpoint, a file) cannot be written;
   *     training stops with it
   */
  default void epochDone(Trainer trainer, EpochResult epoch) throws IOException {}

  /** One optimizer step: its 0-based epoch, 1-based step number, loss, batch size and lr. */
  record StepResult(int epoch, long step, double loss, int batchSize, double lr) {}

  /**
   * One finished epoch.
   *
   * @param epochsDone epochs complete, counting this one
   * @param metrics evaluation results by name, filled by evaluating listeners in order
   */
  record EpochResult(
      int epochsDone,
      long step,
      double trainLoss,
      double lr,
      double seconds,
      int images,
      java.util.Map<String, Double> metrics) {
    /** Training images per second of the epoch. */
    public double imagesPerSecond() {
      return images / seconds;
    }
  }
}
