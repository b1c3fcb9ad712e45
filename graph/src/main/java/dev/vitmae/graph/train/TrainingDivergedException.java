package dev.vitmae.graph.train;

import java.io.IOException;
import java.nio.file.Path;

/** Training stopped because the loss or a weight became NaN or infinite. */
public final class TrainingDivergedException extends IOException {
  public TrainingDivergedException(int epoch, long step, String what, Path lastGood) {
    super("training diverged at epoch " + (epoch + 1) + ", step " + step + ": " + what
        + ". Nothing was saved for this epoch; the last good checkpoint (if any) is " + lastGood
        + ". Lower the learning rate (--lr) or add warm-up (--warmup-steps), then --resume it.");
  }
}
