package dev.vitmae.cli;

import static dev.vitmae.cli.CliRun.vitmae;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitmae.graph.Tiny;
import dev.vitmae.graph.config.MaeConfig;
import dev.vitmae.graph.config.TrainConfig;
import dev.vitmae.graph.train.MaeTask;
import dev.vitmae.graph.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchInferCommandTest {
  @TempDir Path tmp;

  @Test
  void tinyMaeBenchmarkPrintsLatencyAndThroughputTablesAndWritesThemToOut() throws IOException {
    Path checkpoint = tinyMaeCheckpoint();
    Path md = tmp.resolve("bench.md");

    CliRun run =
        vitmae(
            "bench",
            "infer",
            "--checkpoint",
            checkpoint.toString(),
            "--iters",
            "2",
            "--warmup",
            "1",
            "--batches",
            "1,2",
            "--threads",
            "1",
            "--opt",
            "basic",
            "--out",
            md.toString());

    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains("p50") && run.out().contains("img/s"), run.out());
    assertTrue(
        run.out().contains("OMP_NUM_THREADS=") && run.out().contains("OPENBLAS_CORETYPE="),
        run.out());
    assertTrue(run.out().contains("`vitmae bench infer --checkpoint"), run.out());
    // 2 models x 2 batches: one SameDiff and 4 ONNX Runtime rows (memory pattern x input) each.
    long measured =
        run.out()
            .lines()
            .filter(l -> l.matches("\\| (encoder|mae) +\\| [12] +\\| (SameDiff|ONNX).*"))
            .count();
    assertEquals(2 * 2 * 5, measured, run.out());
    assertTrue(Files.readString(md).contains("### Best per model and batch"));
  }

  @Test
  void timingsReportNearestRankPercentiles() {
    Timings t = new Timings(new long[] {5_000_000, 1_000_000, 3_000_000, 2_000_000, 4_000_000});

    assertEquals(3.0, t.p50Ms(), 1e-9);
    assertEquals(5.0, t.p95Ms(), 1e-9);
    assertEquals(2 * 5 / 0.015, t.imagesPerSecond(2), 1e-6);
  }

  /** An untrained MAE of dim 16 on 28x28 images, as a checkpoint file. */
  private Path tinyMaeCheckpoint() throws IOException {
    MaeConfig mae = Tiny.mae(Tiny.vit().toBuilder().depth(1).build());
    TrainConfig train =
        TrainConfig.builder().epochs(1).batchSize(8).lr(1e-3).microBatchSize(0).seed(1).build();
    Path file = tmp.resolve("checkpoint.zip");
    new Trainer(new MaeTask(mae), train).checkpoint().write(file);
    return file;
  }
}
