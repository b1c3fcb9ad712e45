package dev.vitmae.cli;

import static dev.vitmae.cli.CliRun.vitmae;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchTrainCommandTest {
  @Test
  void anOrtProfileSumsTheKernelsOfEverySessionOfTheStep(@TempDir Path tmp) throws Exception {
    Path traces = tmp.resolve("traces");
    // Micro-batches of 2: a gradient session run twice a step and an update session.
    CliRun run =
        vitmae(
            "bench",
            "train",
            "--model",
            "vit",
            "--engine",
            "ort",
            "--batches",
            "4",
            "--micro-batch",
            "2",
            "--steps",
            "1",
            "--warmup",
            "1",
            "--profile",
            "--profile-dir",
            traces.toString());

    assertEquals(0, run.exitCode(), run.err());
    String out = run.out();
    assertTrue(out.contains("ONNX Runtime's profile at batch 4, per step"), out);
    assertTrue(out.contains("2 session(s)"), out);
    assertTrue(out.lines().anyMatch(l -> l.matches("\\| (Fused)?MatMul \\| \\d+ \\| .*")), out);
    assertTrue(out.contains("| slowest nodes | op |"), out);
    assertTrue(out.contains("ONNX Runtime's trace files are in " + traces), out);
    try (var files = Files.list(traces)) {
      assertEquals(2, files.filter(f -> f.toString().endsWith(".json")).count());
    }
  }

  @Test
  void aProfileFolderWithFilesInItIsRefused(@TempDir Path tmp) throws Exception {
    Files.writeString(tmp.resolve("old.json"), "[]");
    CliRun run =
        vitmae("bench", "train", "--engine", "ort", "--profile", "--profile-dir", tmp.toString());

    assertEquals(2, run.exitCode(), run.err());
    assertTrue(run.err().contains("--profile-dir " + tmp + " is not empty"), run.err());
  }
}
