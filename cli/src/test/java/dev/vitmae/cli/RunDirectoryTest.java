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
            IjepaCommandsTest.args(
                "train", "ijepa", "--out", run.toString(), "--epochs", "1", "--overwrite"));
    assertEquals(0, fresh.exitCode(), fresh.err());
    List<String> metrics = Files.readAllLines(run.resolve("metrics.csv"));
    assertEquals(2, metrics.size(), "a header and this run's one epoch: " + metrics);
    assertEquals(1, Checkpoint.read(run.resolve("checkpoint.zip")).progress().epochsDone());
    assertEquals("mine", Files.readString(run.resolve("notes.txt")), "not a run file: kept");
  }
}
