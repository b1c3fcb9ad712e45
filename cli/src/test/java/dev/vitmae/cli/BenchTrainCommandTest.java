package dev.vitmae.cli;

import static dev.vitmae.cli.CliRun.vitmae;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BenchTrainCommandTest {
  @Test
  void anOrtProfileSumsTheKernelsOfEverySessionOfTheStep() {
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
            "--profile");

    assertEquals(0, run.exitCode(), run.err());
    String out = run.out();
    assertTrue(out.contains("ONNX Runtime's profile at batch 4, per step"), out);
    assertTrue(out.contains("2 session(s)"), out);
    assertTrue(out.lines().anyMatch(l -> l.matches("\\| (Fused)?MatMul \\| \\d+ \\| .*")), out);
    assertTrue(out.contains("| slowest nodes | op |"), out);
  }
}
