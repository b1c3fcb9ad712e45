package dev.vitmae.graph.train;

import java.io.IOException;

/**
 * Training stopped because the loss or a weight became NaN or infinite. Nothing was saved for the
 * epoch: listeners that write checkpoints ran only for earlier, finite epochs.
 */
public final class TrainingDivergedException extends IOException {
  public TrainingDivergedException(int epoch, long step, String what) {
    super(message(epoch, step, what));
  }

  private static String message(int epoch, long step, String what) {
    return "training diverged at epoch "
        + (epoch + 1)
        + ", step "
        + step
        + ": "
        + what
        + ". Nothing was saved for this epoch; the last good checkpoint (if any) is untouched."
        + " Lower the learning rate or add warm-up, then resume from it.";
  }

  /** {@code cause}'s message naming the last good checkpoint file. */
  public TrainingDivergedException(TrainingDivergedException cause, java.nio.file.Path lastGood) {
    super(
        cause
            .getMessage()
            .replace(
                "the last good checkpoint (if any) is untouched",
                "the last good checkpoint (if any) is " + lastGood),
        cause);
  }
}
