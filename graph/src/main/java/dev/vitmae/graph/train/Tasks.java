package dev.vitmae.graph.train;

import dev.vitmae.graph.config.IjepaConfig;
import dev.vitmae.graph.config.MaeConfig;
import dev.vitmae.graph.config.RecordJson;
import dev.vitmae.graph.config.ViTConfig;

/** The {@link Task} a checkpoint was trained with, rebuilt from its stored config. */
public final class Tasks {
  private Tasks() {}

  public static Task of(Checkpoint checkpoint) {
    return switch (checkpoint.kind()) {
      case VIT -> new VitTask(RecordJson.read(ViTConfig.class, checkpoint.modelJson()));
      case MAE -> new MaeTask(RecordJson.read(MaeConfig.class, checkpoint.modelJson()));
      case IJEPA -> new IjepaTask(RecordJson.read(IjepaConfig.class, checkpoint.modelJson()));
    };
  }

  /** A trainer holding the checkpoint's weights and optimizer state, ready to evaluate or resume. */
  public static Trainer restore(Checkpoint checkpoint) throws CheckpointException {
    return Trainer.resume(of(checkpoint), checkpoint.train(), checkpoint);
  }
}
