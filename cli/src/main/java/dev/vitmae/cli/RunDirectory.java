package dev.vitmae.cli;

import dev.vitmae.graph.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The files {@code vitmae train} writes in its {@code --out} folder, and the rule that a run is
 * never silently overwritten or appended to: a folder that holds one is continued ({@code
 * --resume}) or replaced ({@code --overwrite}), as the Spark job's output is.
 */
final class RunDirectory {
  static final String LOSS_PNG = "loss.png";
  static final String RECONSTRUCTION_PNG = "reconstruction.png";

  /** What a run leaves in its folder; {@code --overwrite} removes exactly these. */
  static final List<String> FILES =
      List.of(Trainer.CHECKPOINT, Trainer.METRICS, Trainer.STEPS, LOSS_PNG, RECONSTRUCTION_PNG);

  private RunDirectory() {}

  /**
   * Checks {@code out} before a run starts; with {@code overwrite}, removes the previous run's
   * files (only those: other files in the folder stay).
   *
   * @throws IllegalArgumentException when a fresh run would overwrite or append to a run's files
   */
  static void prepare(Path out, boolean resume, boolean overwrite) throws IOException {
    if (resume && overwrite) {
      throw new IllegalArgumentException(
          "--resume continues the run in " + out + ", --overwrite replaces it: give one");
    }
    if (resume) return;
    List<String> present = FILES.stream().filter(f -> Files.exists(out.resolve(f))).toList();
    if (present.isEmpty()) return;
    if (!overwrite) {
      throw new IllegalArgumentException(
          out
              + " already holds a run ("
              + String.join(", ", present)
              + "): continue it with --resume, replace it with --overwrite, or give another --out");
    }
    for (String f : present) Files.delete(out.resolve(f));
  }
}
