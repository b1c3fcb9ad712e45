package dev.vitmae.cli;

import static dev.vitmae.cli.CliRun.vitmae;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitmae.graph.train.Checkpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run folder is continued with --resume or replaced with --overwrite, never appended to. */
class RunDirectoryTest {
  @Test
  void aFreshRunIntoAFolderHoldingOneIsRefused(@TempDir Path run) throws IOException {
    byte[] old = {1, 2, 3};
    Files.write(run.resolve("checkpoint.zip"), old);
    Files.writeString(run.resolve("metrics.csv"), "epoch,step\n1,10\n");
    CliRun again =
        vitmae(IjepaCommandsTest.args("train", "ijepa", "--out", run.toString(), "--epochs", "1"));
    assertEquals(1, again.exitCode(), again.out());
    assertTrue(
        again.err().contains("already holds a run (checkpoint.zip, metrics.csv)")
            && again.err().contains("--resume")
            && again.err().contains("--overwrite"),
        again.err());
    assertArrayEquals(old, Files.readAllBytes(run.resolve("checkpoint.zip")), "left untouched");

    CliRun both =
        vitmae(
            IjepaCommandsTest.args(
                "train", "ijepa", "--out", run.toString(), "--resume", "--overwrite"));
    assertEquals(1, both.exitCode(), both.out());
    assertTrue(both.err().contains("give one"), both.err());
  }

  @Test
  void overwriteStartsTheRunAfresh(@TempDir Path run) throws IOException {
    Files.write(run.resolve("checkpoint.zip"), new byte[] {1, 2, 3});
    Files.writeString(run.resolve("metrics.csv"), "epoch,step\n1,10\n2,20\n3,30\n");
    Files.writeString(run.resolve("notes.txt"), "mine");
    CliRun fresh =
        vitmae(
            TinyArgs.args(
                "train",
                "mae",
                "--out",
                run.toString(),
                "--overwrite",
                "--epochs",
                "1",
                "--dataset",
                "synthetic",
                "--limit-train",
                "64",
                "--limit-test",
                "16",
                "--batch-size",
                "32",
                TinyArgs.ENCODER,
                TinyArgs.DECODER));
    assertEquals(0, fresh.exitCode(), fresh.err());
    // The summary names every file the run wrote; the printed config has no unused class count.
    for (String file : RunDirectory.FILES) {
      assertTrue(fresh.out().contains(run.resolve(file).toString()), file + ": " + fresh.out());
    }
    assertTrue(!fresh.out().contains("numClasses"), fresh.out());
    List<String> metrics = Files.readAllLines(run.resolve("metrics.csv"));
    assertEquals(2, metrics.size(), "a header and this run's one epoch: " + metrics);
    assertEquals(1, Checkpoint.read(run.resolve("checkpoint.zip")).progress().epochsDone());
    assertEquals("mine", Files.readString(run.resolve("notes.txt")), "not a run file: kept");
  }
}
