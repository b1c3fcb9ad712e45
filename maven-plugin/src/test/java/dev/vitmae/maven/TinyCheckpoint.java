package dev.vitmae.maven;

import dev.vitmae.graph.Tiny;
import dev.vitmae.graph.config.MaeConfig;
import dev.vitmae.graph.config.TrainConfig;
import dev.vitmae.graph.config.ViTConfig;
import dev.vitmae.graph.train.MaeTask;
import dev.vitmae.graph.train.Trainer;
import java.io.IOException;
import java.nio.file.Path;

/**
 * An untrained MAE checkpoint, small but with every ONNX file over 10 KB. Written to {@code
 * target/it-fixtures/mae-checkpoint.zip} (system property {@code vitmae.it.fixtures}), where the
 * invoker ITs in {@code src/it} read it after the tests have run.
 */
final class TinyCheckpoint {
  static final ViTConfig VIT =
      Tiny.vit().toBuilder().dim(32).depth(1).dimHead(16).mlpDim(64).build();
  static final MaeConfig MAE = Tiny.mae(VIT);
  static final TrainConfig TRAIN =
      Tiny.train().toBuilder().epochs(1).weightDecay(0).seed(7).build();

  private static Path written;

  private TinyCheckpoint() {}

  /** The fixture's path, writing it on the first call of this JVM. */
  static synchronized Path mae() throws IOException {
    if (written == null) {
      Path file =
          Path.of(System.getProperty("vitmae.it.fixtures", "target/it-fixtures"))
              .resolve("mae-checkpoint.zip")
              .toAbsolutePath();
      new Trainer(new MaeTask(MAE), TRAIN).checkpoint().write(file);
      written = file;
    }
    return written;
  }
}
