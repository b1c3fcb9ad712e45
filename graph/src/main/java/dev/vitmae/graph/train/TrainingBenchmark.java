package dev.vitmae.graph.train;

import dev.vitmae.datasets.ImageSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Training throughput of a task on one fixed batch: warm-up steps, then the median of timed
 * optimizer steps, with the process's memory (peak RSS, RSS, Java heap) after them, and optionally
 * a per-op profile of one more step. What {@code vitmae bench train} reports.
 */
public final class TrainingBenchmark {
  private TrainingBenchmark() {}

  /** One batch size's figures. */
  public record Result(
      int batch,
      double medianStepSeconds,
      long peakRssBytes,
      long rssBytes,
      long heapUsedBytes,
      long heapTotalBytes,
      Profile profileOrNull) {
    public double imagesPerSecond() {
      return batch / medianStepSeconds;
    }
  }

  /** A per-op profile of one step. */
  public record Profile(double stepSeconds, double opSeconds, List<OpProfiler.Entry> ops) {}

  /** Reports progress: step {@code done} of {@code total} at {@code batch}. */
  @FunctionalInterface
  public interface Progress {
    void step(int batch, int done, int total);
  }

  /**
   * Times {@code steps} optimizer steps (after {@code warmup} untimed ones) of {@code trainer} on
   * the first {@code batch} images of {@code data}, at the reference lr.
   */
  public static Result measure(
      Trainer trainer,
      ImageSource data,
      int batch,
      int warmup,
      int steps,
      boolean profile,
      Progress progress) {
    Map<String, INDArray> feeds = trainer.task().feeds(Batch.read(data, Task.range(0, batch), 1));
    double lr = trainer.config().lr();
    long[] nanos = new long[steps];
    // I-JEPA's feeds hold its target encoder's output: part of the step, computed each time.
    boolean fresh = trainer.task().schedulesOverRun();
    if (fresh) trainer.planSteps(warmup + steps + 1L);
    for (int s = -warmup; s < steps; s++) {
      long t0 = System.nanoTime();
      if (fresh) feeds = trainer.task().feeds(Batch.read(data, Task.range(0, batch), s));
      trainer.trainStep(feeds, lr);
      if (s >= 0) nanos[s] = System.nanoTime() - t0;
      progress.step(batch, s + warmup + 1, steps + warmup);
    }
    Arrays.sort(nanos);
    Runtime rt = Runtime.getRuntime();
    long rss = procStatusKb("VmRSS") << 10;
    long heapUsed = rt.totalMemory() - rt.freeMemory();
    Profile p = null;
    if (profile) {
      OpProfiler profiler = new OpProfiler();
      trainer.graph().setListeners(profiler);
      long t0 = System.nanoTime();
      trainer.trainStep(feeds, lr);
      long step = System.nanoTime() - t0;
      trainer.graph().setListeners();
      p = new Profile(step / 1e9, profiler.totalNanos() / 1e9, profiler.entries());
    }
    return new Result(
        batch,
        nanos[steps / 2] / 1e9,
        procStatusKb("VmHWM") << 10,
        rss,
        heapUsed,
        rt.totalMemory(),
        p);
  }

  /** A {@code kB} field of /proc/self/status, in kB (0 where unavailable). */
  static long procStatusKb(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(field + ":")) return Long.parseLong(line.replaceAll("\\D", ""));
      }
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
    return 0;
  }
}
