package dev.vitmae.maven;

import dev.vitmae.graph.config.MaeConfig;
import dev.vitmae.graph.config.Pooling;
import dev.vitmae.graph.config.PosEmbedding;
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
      new ViTConfig(28, 7, 1, 32, 1, 2, 16, 64, 10, Pooling.CLS, PosEmbedding.LEARNED);
  static final MaeConfig MAE = new MaeConfig(VIT, 0.25, 32, 1, 2, 16, 64, false);
  static final TrainConfig TRAIN =
      new TrainConfig(1, 8, 1e-3, 0.9, 0.999, 1e-8, 0.0, 0, false, 0.0, 0, 7);

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
