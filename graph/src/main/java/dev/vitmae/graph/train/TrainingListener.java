package dev.vitmae.graph.train;

/** Progress callbacks of a {@link Trainer}; every method has an empty default. */
public interface TrainingListener {
  default void epochStarted(int epoch, int epochs, int steps) {}

  default void stepDone(int epoch, long step, double loss, int batchSize) {}

  default void epochDone(int epochsDone, double trainLoss, String metric, double value) {}
}
