package dev.vitmae.cli;

import static dev.vitmae.cli.CliRun.vitmae;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitmae.graph.train.Checkpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --engine ort|samediff}: the same tiny MAE from the same seed trains to the same test
 * metric on both engines, each checkpoint records its engine and resumes on the other.
 */
class EngineCommandsTest {
  static final String[] TINY =
      TinyArgs.args(
          "--dataset",
          "synthetic",
          "--limit-train",
          "128",
          "--limit-test",
          "64",
          "--batch-size",
          "32",
          "--lr",
          "1e-3",
          TinyArgs.ENCODER,
          TinyArgs.DECODER,
          "--micro-batch",
          "0");

  static String[] args(String... head) {
    List<String> all = new ArrayList<>(List.of(head));
    all.addAll(List.of(TINY));
    return all.toArray(String[]::new);
  }

  @Test
  void bothEnginesTrainTheSameModel(@TempDir Path tmp) throws IOException {
    double[] metric = new double[2];
    String[] engines = {"samediff", "ort"};
    for (int i = 0; i < 2; i++) {
      Path run = tmp.resolve(engines[i]);
      CliRun r =
          vitmae(
              args(
                  "train",
                  "mae",
                  "--out",
                  run.toString(),
                  "--epochs",
                  "2",
                  "--engine",
                  engines[i]));
      assertEquals(0, r.exitCode(), r.err());
      assertTrue(r.out().contains("trained on: " + engines[i]), r.out());
      assertEquals(engines[i], Checkpoint.read(run.resolve("checkpoint.zip")).progress().engine());
      List<String> lines = Files.readAllLines(run.resolve("metrics.csv"));
      String[] last = lines.get(lines.size() - 1).split(",");
      metric[i] = Double.parseDouble(last[3]);
    }
    // Same seed, same batches and masks: the engines differ only by float32 rounding.
    assertEquals(metric[0], metric[1], 1e-3 * metric[0], "test_masked_mse samediff vs ort");

    // The ort run continues on samediff.
    Path ort = tmp.resolve("ort");
    CliRun resumed =
        vitmae(
            args(
                "train",
                "mae",
                "--out",
                ort.toString(),
                "--resume",
                "--epochs",
                "3",
                "--engine",
                "samediff"));
    assertEquals(0, resumed.exitCode(), resumed.err());
    assertEquals("samediff", Checkpoint.read(ort.resolve("checkpoint.zip")).progress().engine());
    assertEquals(3, Checkpoint.read(ort.resolve("checkpoint.zip")).progress().epochsDone());
  }

  @Test
  void unknownEngineAndCudaWithoutGpuAreRefused(@TempDir Path tmp) {
    CliRun unknown =
        vitmae(args("train", "mae", "--out", tmp.resolve("a").toString(), "--engine", "tpu"));
    assertTrue(unknown.exitCode() != 0);
    assertTrue(unknown.err().contains("unknown training engine 'tpu'"), unknown.err());
    CliRun device =
        vitmae(
            args(
                "train",
                "mae",
                "--out",
                tmp.resolve("b").toString(),
                "--engine",
                "samediff",
                "--device",
                "cuda"));
    assertTrue(device.exitCode() != 0);
    assertTrue(device.err().contains("--device cuda needs --engine ort"), device.err());
    // The ort engine on CUDA without a usable CUDA provider stops with the reason, no CPU fallback
    // (the CPU-only ONNX Runtime jar has none; a -P gpu build on a GPU machine would train).
    org.junit.jupiter.api.Assumptions.assumeFalse(
        ai.onnxruntime.OrtEnvironment.getAvailableProviders()
            .contains(ai.onnxruntime.OrtProvider.CUDA));
    CliRun cuda =
        vitmae(args("train", "mae", "--out", tmp.resolve("c").toString(), "--device", "cuda"));
    assertTrue(cuda.exitCode() != 0);
    assertTrue(cuda.err().contains("CUDA execution provider could not be loaded"), cuda.err());
    assertTrue(cuda.err().contains("--device auto"), "the command line's advice: " + cuda.err());
    assertFalse(cuda.err().contains("Device.AUTO"), "not the Java API's: " + cuda.err());
  }
}
