package dev.vitmae.graph.train;

import dev.vitmae.datasets.ImageSource;
import dev.vitmae.graph.config.TrainConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@link TrainingListener}s vitmae ships: evaluation on held-out images, the latest checkpoint,
 * per-epoch metrics and per-step losses as CSV, and all of them as a run directory.
 */
public final class Listeners {
  private Listeners() {}

  /**
   * After each epoch, scores the model on {@code test} with the task's metric ({@link
   * Task#evaluate}) and adds it to the epoch's metrics.
   */
  public static TrainingListener evaluation(ImageSource test, int batchSize) {
    return evaluation(test, batchSize, 1);
  }

  /**
   * Scores the model on {@code test} after every {@code everyEpochs}-th epoch and after the last
   * planned one ({@link TrainConfig#epochs()}); other epochs record the metric as NaN, so every
   * epoch has the same metrics. For small training sets, whose epochs take less time than one
   * evaluation.
   */
  public static TrainingListener evaluation(ImageSource test, int batchSize, int everyEpochs) {
    if (batchSize <= 0) throw new IllegalArgumentException("batchSize must be > 0");
    if (everyEpochs <= 0) throw new IllegalArgumentException("everyEpochs must be > 0");
    return new TrainingListener() {
      @Override
      public void epochDone(Trainer trainer, EpochResult epoch) {
        Task task = trainer.task();
        boolean due =
            epoch.epochsDone() % everyEpochs == 0
                || epoch.epochsDone() >= trainer.config().epochs();
        epoch
            .metrics()
            .put(task.metricName(), due ? trainer.evaluate(test, batchSize) : Double.NaN);
      }
    };
  }

  /**
   * After each epoch, the encoder's collapse monitors (and an MAE's visible/masked-patch errors) on
   * a fixed sample of {@code train}, with a WARN line on collapse: {@link HealthMonitor}. Add it
   * before {@link #metricsCsv} so that its columns are recorded.
   */
  public static TrainingListener health(ImageSource train) {
    return new HealthMonitor(train);
  }

  /**
   * {@link #health(ImageSource)} with the WARN line when the embedding std falls below {@code
   * collapseStd} (default {@value HealthMonitor#COLLAPSE_STD}; 0 never warns).
   *
   * @throws IllegalArgumentException when {@code collapseStd} is negative or not finite
   */
  public static TrainingListener health(ImageSource train, double collapseStd) {
    return new HealthMonitor(
        train, HealthMonitor.SAMPLE, HealthMonitor.SEED, collapseStd, HealthMonitor.LOG::warn);
  }

  /** After each epoch, writes {@link Trainer#checkpoint()} to {@code file}, atomically. */
  public static TrainingListener checkpoint(Path file) {
    return new TrainingListener() {
      @Override
      public void epochDone(Trainer trainer, EpochResult epoch) throws IOException {
        trainer.checkpoint().write(file);
      }
    };
  }

  /**
   * Appends one line per epoch to {@code file}: {@code epoch,step,train_loss,<metrics…>,lr,
   * seconds,img_per_s} (a header first when the file is new). A resumed run whose metrics differ
   * from the file's keeps every column: new metrics are added to the header (earlier lines get NaN
   * for them), and a metric this run lacks is written as NaN.
   */
  public static TrainingListener metricsCsv(Path file) {
    return new TrainingListener() {
      @Override
      public void epochDone(Trainer trainer, EpochResult e) throws IOException {
        List<String> names = new ArrayList<>();
        boolean fresh = !Files.exists(file);
        if (!fresh) names.addAll(metricColumns(file));
        int known = names.size();
        for (String n : e.metrics().keySet()) if (!names.contains(n)) names.add(n);
        if (!fresh && names.size() > known) widen(file, names, names.size() - known);
        StringBuilder line = new StringBuilder();
        if (fresh) line.append(metricsHeader(names)).append('\n');
        line.append(
            String.format(Locale.ROOT, "%d,%d,%.6f,", e.epochsDone(), e.step(), e.trainLoss()));
        for (String n : names) {
          line.append(String.format(Locale.ROOT, "%.6f,", e.metrics().getOrDefault(n, Double.NaN)));
        }
        line.append(
            String.format(
                Locale.ROOT, "%.3g,%.1f,%.1f%n", e.lr(), e.seconds(), e.imagesPerSecond()));
        append(file, line);
      }
    };
  }

  private static String metricsHeader(List<String> names) {
    return "epoch,step,train_loss,"
        + names.stream().map(n -> n + ",").collect(java.util.stream.Collectors.joining())
        + "lr,seconds,img_per_s";
  }

  /** The metric columns of an existing metrics file: those between train_loss and lr. */
  private static List<String> metricColumns(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    if (lines.isEmpty()) return List.of();
    List<String> header = List.of(lines.get(0).split(","));
    return header.size() < 6 ? List.of() : header.subList(3, header.size() - 3);
  }

  /** Rewrites {@code file} with the header of {@code names}, NaN for its {@code added} last. */
  private static void widen(Path file, List<String> names, int added) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder(metricsHeader(names)).append('\n');
    for (String row : lines.subList(1, lines.size())) {
      if (row.isBlank()) continue;
      String[] f = row.split(",");
      int keep = f.length - 3;
      out.append(String.join(",", java.util.Arrays.copyOf(f, keep))).append(',');
      for (int i = 0; i < added; i++) out.append("NaN,");
      out.append(String.join(",", java.util.Arrays.copyOfRange(f, keep, f.length))).append('\n');
    }
    byte[] bytes = out.toString().getBytes(StandardCharsets.UTF_8);
    dev.vitmae.datasets.AtomicFiles.write(file, stream -> stream.write(bytes));
  }

  /** Appends one line per optimizer step to {@code file}: {@code epoch,step,loss,lr}. */
  public static TrainingListener stepsCsv(Path file) {
    return new TrainingListener() {
      private final StringBuilder pending = new StringBuilder();

      @Override
      public void stepDone(Trainer trainer, StepResult s) {
        pending.append(
            String.format(
                Locale.ROOT, "%d,%d,%.6f,%.3g%n", s.epoch() + 1, s.step(), s.loss(), s.lr()));
      }

      @Override
      public void epochDone(Trainer trainer, EpochResult epoch) throws IOException {
        // Written once per epoch, with the checkpoint, so a resumed run never repeats a step.
        if (!Files.exists(file)) pending.insert(0, "epoch,step,loss,lr\n");
        append(file, pending);
        pending.setLength(0);
      }
    };
  }

  /**
   * A run directory: evaluation on {@code testOrNull} (when given), then {@value Trainer#METRICS},
   * {@value Trainer#STEPS} and {@value Trainer#CHECKPOINT} in {@code dir}.
   */
  public static List<TrainingListener> runDirectory(
      Path dir, ImageSource testOrNull, int evalBatchSize) {
    return runDirectory(dir, testOrNull, evalBatchSize, 1);
  }

  /** {@link #runDirectory(Path, ImageSource, int)}, evaluating every {@code everyEpochs} epochs. */
  public static List<TrainingListener> runDirectory(
      Path dir, ImageSource testOrNull, int evalBatchSize, int everyEpochs) {
    List<TrainingListener> all = new ArrayList<>();
    if (testOrNull != null) all.add(evaluation(testOrNull, evalBatchSize, everyEpochs));
    all.add(metricsCsv(dir.resolve(Trainer.METRICS)));
    all.add(stepsCsv(dir.resolve(Trainer.STEPS)));
    all.add(checkpoint(dir.resolve(Trainer.CHECKPOINT)));
    return all;
  }

  private static void append(Path file, CharSequence text) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) Files.createDirectories(parent);
    Files.writeString(
        file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }
}
