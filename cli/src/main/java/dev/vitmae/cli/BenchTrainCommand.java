package dev.vitmae.cli;

import dev.vitmae.datasets.ImageSource;
import dev.vitmae.datasets.SyntheticDigits;
import dev.vitmae.graph.config.IjepaConfig;
import dev.vitmae.graph.config.MaeConfig;
import dev.vitmae.graph.config.TrainConfig;
import dev.vitmae.graph.config.ViTConfig;
import dev.vitmae.graph.model.Flops;
import dev.vitmae.graph.train.IjepaTask;
import dev.vitmae.graph.train.MaeTask;
import dev.vitmae.graph.train.MemoryPolicy;
import dev.vitmae.graph.train.OpProfiler;
import dev.vitmae.graph.train.Task;
import dev.vitmae.graph.train.Tasks;
import dev.vitmae.graph.train.Trainer;
import dev.vitmae.graph.train.TrainingBenchmark;
import dev.vitmae.graph.train.VitTask;
import dev.vitmae.runtime.ModelOptions;
import dev.vitmae.runtime.OrtProfile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code vitmae bench train}: training throughput of the reference MAE (or ViT), achieved GFLOP/s
 * against the analytic FLOP count, and memory, per batch size; optionally a per-op time profile.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description =
        "Training throughput (median of --steps after --warmup), GFLOP/s and memory per batch size.")
final class BenchTrainCommand implements Callable<Integer> {
  @Option(
      names = "--model",
      defaultValue = "mae",
      description =
          "mae, vit or ijepa (reference configs; I-JEPA's step includes its target encoder's"
              + " forward pass, run by SameDiff on either engine).")
  private String model;

  @Option(
      names = "--batches",
      split = ",",
      paramLabel = "N,N,..",
      defaultValue = "64,256,512",
      description = "Batch sizes to time (default: ${DEFAULT-VALUE}).")
  private List<Integer> batches;

  @Option(
      names = "--micro-batch",
      description =
          "Gradient-accumulation chunk, 0 = whole batch in one pass (default: ${DEFAULT-VALUE},"
              + " as train).")
  private int microBatch = TrainConfig.reference().microBatchSize();

  @Option(
      names = "--engine",
      paramLabel = "NAME",
      description =
          "Training engine: ort (ONNX Runtime) or samediff (default: vitmae's, Engine.DEFAULT).")
  private String engine;

  @Option(
      names = "--vit",
      paramLabel = "SHAPE",
      description =
          "Instead of --model: fine-tuning a ViT classifier of timm's shape (random weights, RGB):"
              + " tiny, small or base (patch 16, depth 12).")
  private VitShape vit;

  @Option(
      names = "--preset",
      paramLabel = "NAME",
      defaultValue = "reference",
      description =
          "The --model's size: reference, small or photo (MaeConfig.preset and its encoder;"
              + " default: ${DEFAULT-VALUE}).")
  private String preset;

  @Option(
      names = "--image-size",
      paramLabel = "N",
      description = "Image side: the --vit model's (default 224), or the preset's changed.")
  private Integer imageSize;

  @Option(
      names = "--channels",
      paramLabel = "C",
      description = "Image channels of the preset (1 or 3; default: the preset's).")
  private Integer channels;

  @Option(
      names = "--steps",
      paramLabel = "N",
      defaultValue = "20",
      description = "Timed steps per batch size (default: ${DEFAULT-VALUE}).")
  private int steps;

  @Option(
      names = "--warmup",
      paramLabel = "N",
      defaultValue = "3",
      description = "Untimed steps first (default: ${DEFAULT-VALUE}).")
  private int warmup;

  @Option(
      names = "--profile",
      description =
          "Print a per-op time profile at the largest batch: of one step on samediff (its op"
              + " listener), of "
              + ORT_PROFILED_STEPS
              + " steps after one untimed on ort (ONNX Runtime's own profiler), outside the"
              + " timed steps.")
  private boolean profile;

  @Option(
      names = "--profile-dir",
      paramLabel = "DIR",
      description =
          "With --profile on ort: keep ONNX Runtime's trace files (Chrome trace JSON, one per"
              + " session; open them in Perfetto or chrome://tracing) in DIR instead of deleting"
              + " them.")
  private Path profileDir;

  @Option(names = "--out", paramLabel = "FILE.md", description = "Also write the report here.")
  private Path out;

  @Spec private CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    if (profileDir != null && Files.isDirectory(profileDir)) {
      try (var files = Files.list(profileDir)) {
        if (files.findAny().isPresent()) {
          throw new ParameterException(
              spec.commandLine(),
              "--profile-dir " + profileDir + " is not empty: give a new or empty folder");
        }
      }
    }
    String engine = this.engine == null ? dev.vitmae.api.Engine.DEFAULT.id() : this.engine;
    ViTConfig shaped = vit == null ? null : vit.config(imageSize == null ? 224 : imageSize);
    MaeConfig presetMae = MaeConfig.preset(preset);
    ViTConfig encoder = sized(presetMae.encoder());
    MaeConfig mae = presetMae.toBuilder().encoder(encoder).build();
    Task task =
        shaped != null
            ? new VitTask(shaped)
            : switch (model) {
              case Tasks.MAE -> new MaeTask(mae);
              case Tasks.VIT -> new VitTask(encoder);
              case Tasks.IJEPA -> new IjepaTask(IjepaConfig.of(encoder));
              default ->
                  throw new IllegalArgumentException(
                      "--model takes mae, vit or ijepa, got " + model);
            };
    // No analytic count for I-JEPA (its context and target sets vary per batch): GFLOP/s is 0.
    long flopsPerImage =
        shaped != null
            ? Flops.trainStep(Flops.vitForward(shaped))
            : switch (model) {
              case Tasks.MAE -> Flops.trainStep(Flops.maeForward(mae));
              case Tasks.VIT -> Flops.trainStep(Flops.vitForward(encoder));
              default -> 0;
            };
    boolean ort = dev.vitmae.api.Engine.of(engine) == dev.vitmae.api.Engine.ORT;
    int largest = batches.stream().mapToInt(Integer::intValue).max().orElseThrow();
    ViTConfig imagesOf = shaped != null ? shaped : encoder;
    ImageSource data =
        imagesOf.imageSize() == 28 && imagesOf.channels() == 1
            ? SyntheticDigits.generate("synthetic", largest, 1)
            : randomImages(largest, imagesOf);
    List<String> report =
        new ArrayList<>(
            BenchEnvironment.describe(
                spec.commandLine().getParseResult().originalArgs(),
                List.of(
                    String.format(
                        Locale.ROOT,
                        "model: %s, %.1f MFLOP per image per training step (analytic)",
                        shaped != null
                            ? vit.describe(shaped.imageSize())
                            : preset
                                + " "
                                + model
                                + " on "
                                + encoder.channels()
                                + "×"
                                + encoder.imageSize()
                                + "×"
                                + encoder.imageSize(),
                        flopsPerImage / 1e6),
                    "engine: " + engine + ", micro-batch: " + microBatch)));
    report.add("");
    report.add(
        "| batch | median step (s) | img/s | GFLOP/s | peak RSS (MiB) | RSS now (MiB) | off-heap ≈ RSS − heap (MiB) | heap used (MiB) |");
    report.add("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    PrintWriter log = spec.commandLine().getErr();
    List<String> engines = new ArrayList<>();
    for (int batch : batches.stream().sorted().toList()) {
      // As `vitmae train` runs: the reference optimizer and a collection per micro-batch.
      Trainer trainer =
          new Trainer(task, config(batch))
              .engine(dev.vitmae.api.Engine.of(engine).factory())
              .memoryPolicy(ort ? MemoryPolicy.JVM_DEFAULT : MemoryPolicy.COLLECT_EACH_MICRO_BATCH);
      TrainingBenchmark.Result r;
      try (trainer) {
        r =
            TrainingBenchmark.measure(
                trainer,
                data,
                batch,
                warmup,
                steps,
                profile && !ort && batch == largest,
                (b, done, total) -> {
                  log.printf(Locale.ROOT, "\rbatch %d step %d/%d", b, done, total);
                  log.flush();
                });
        engines.add(
            String.format(Locale.ROOT, "- batch %d: %s", batch, trainer.engineDescription()));
      }
      log.println();
      report.add(
          String.format(
              Locale.ROOT,
              "| %d | %.3f | %.1f | %.1f | %d | %d | %d | %d |",
              batch,
              r.medianStepSeconds(),
              r.imagesPerSecond(),
              flopsPerImage * batch / r.medianStepSeconds() / 1e9,
              r.peakRssBytes() >> 20,
              r.rssBytes() >> 20,
              (r.rssBytes() - r.heapTotalBytes()) >> 20,
              r.heapUsedBytes() >> 20));
      if (r.profileOrNull() != null) profileTable(report, r.profileOrNull(), batch);
      if (profile && ort && batch == largest) {
        ortProfileTable(report, task, config(batch), data, batch, profileDir, log);
      }
    }
    report.add("");
    report.add("Peak RSS is the process's high-water mark so far (batches run smallest first).");
    report.add("Engine (its start-up is outside the timed steps):");
    report.addAll(engines);
    String text = String.join("\n", report) + "\n";
    spec.commandLine().getOut().print(text);
    if (out != null)
      dev.vitmae.datasets.AtomicFiles.write(
          out, o -> o.write(text.getBytes(StandardCharsets.UTF_8)));
    return 0;
  }

  /** The preset's encoder at the asked image size and channels. */
  private ViTConfig sized(ViTConfig preset) {
    ViTConfig.Builder b = preset.toBuilder();
    if (imageSize != null) b.imageSize(imageSize);
    if (channels != null) b.channels(channels);
    return b.build();
  }

  /**
   * {@code count} seeded uniform images of the config's size and channels, with 10 classes of
   * labels.
   */
  private static ImageSource randomImages(int count, ViTConfig c) {
    java.util.SplittableRandom rng = new java.util.SplittableRandom(1);
    float[] pixels = new float[count * c.channels() * c.imageSize() * c.imageSize()];
    for (int i = 0; i < pixels.length; i++) pixels[i] = (float) rng.nextDouble();
    int[] labels = new int[count];
    for (int i = 0; i < count; i++) labels[i] = rng.nextInt(c.numClasses());
    return dev.vitmae.datasets.FloatImages.of(pixels, c.channels(), c.imageSize())
        .withLabels(labels, c.numClasses());
  }

  private static void profileTable(List<String> report, TrainingBenchmark.Profile p, int batch) {
    report.add("");
    report.add(
        String.format(
            Locale.ROOT,
            "Per-op profile of one step at batch %d: %.3f s wall, %.3f s inside ops "
                + "(the rest is SameDiff's own work between ops, gradient accumulation, Adam and the per-step GC).",
            batch,
            p.stepSeconds(),
            p.opSeconds()));
    report.add("");
    report.add("| op | calls | total (ms) | share of op time |");
    report.add("| --- | ---: | ---: | ---: |");
    long total = p.ops().stream().mapToLong(OpProfiler.Entry::nanos).sum();
    for (OpProfiler.Entry e : p.ops().subList(0, Math.min(20, p.ops().size()))) {
      report.add(
          String.format(
              Locale.ROOT,
              "| %s | %d | %.1f | %.1f%% |",
              e.op(),
              e.calls(),
              e.nanos() / 1e6,
              100.0 * e.nanos() / total));
    }
  }

  /** Steps the ONNX Runtime profile averages (after one untimed step). */
  private static final int ORT_PROFILED_STEPS = 3;

  /** The reference optimizer at {@code batch}, with {@code --micro-batch}. */
  private TrainConfig config(int batch) {
    return TrainConfig.reference().toBuilder()
        .epochs(1)
        .batchSize(batch)
        .microBatchSize(microBatch)
        .build();
  }

  /**
   * Profiles {@link #ORT_PROFILED_STEPS} steps of a fresh ort trainer (after one untimed) with ONNX
   * Runtime's profiler and adds the time per operator per step, summed over the engine's sessions
   * (a micro-batched step runs a gradient graph per chunk and an update graph).
   */
  private static void ortProfileTable(
      List<String> report,
      Task task,
      TrainConfig config,
      ImageSource data,
      int batch,
      Path keep,
      PrintWriter log)
      throws IOException {
    Path dir =
        keep == null
            ? Files.createTempDirectory("vitmae-ort-profile")
            : Files.createDirectories(keep);
    try {
      ModelOptions options = ModelOptions.defaults().withProfile(dir.resolve("step"));
      long t0 = System.nanoTime();
      try (Trainer t =
          new Trainer(task, config).engine(dev.vitmae.api.Engine.ORT.factory(options))) {
        TrainingBenchmark.measure(
            t,
            data,
            batch,
            1,
            ORT_PROFILED_STEPS,
            false,
            (b, done, total) -> {
              log.printf(Locale.ROOT, "\rprofiling batch %d step %d/%d", b, done, total);
              log.flush();
            });
      }
      double wall = (System.nanoTime() - t0) / 1e9;
      log.println();
      Map<String, OrtProfile.Op> ops = new LinkedHashMap<>();
      List<OrtProfile.Op> nodes = new ArrayList<>();
      long runMicros = 0;
      int sessions = 0;
      try (var files = Files.list(dir)) {
        for (Path f : files.filter(f -> f.toString().endsWith(".json")).toList()) {
          OrtProfile p = OrtProfile.read(f);
          // Every step runs a session equally often: skip the first step's runs.
          int perStep = p.runs().size() / (1 + ORT_PROFILED_STEPS);
          for (OrtProfile.Op op : p.total(perStep)) {
            ops.merge(op.opType(), op, OrtProfile.Op::plus);
          }
          nodes.addAll(p.nodes(perStep));
          runMicros += p.runMicros(perStep);
          sessions++;
        }
      }
      if (sessions == 0) throw new IOException("ONNX Runtime wrote no profile into " + dir);
      long opMicros = ops.values().stream().mapToLong(OrtProfile.Op::micros).sum();
      report.add("");
      report.add(
          String.format(
              Locale.ROOT,
              "ONNX Runtime's profile at batch %d, per step (mean of %d after one untimed, %d"
                  + " session(s); profiling slows the run: %.1f s for all %d steps): %.3f s in"
                  + " runs, %.3f s inside kernels.",
              batch,
              ORT_PROFILED_STEPS,
              sessions,
              wall,
              1 + ORT_PROFILED_STEPS,
              runMicros / 1e6 / ORT_PROFILED_STEPS,
              opMicros / 1e6 / ORT_PROFILED_STEPS));
      report.add("");
      report.add("| op | kernels per step | ms per step | share of kernel time |");
      report.add("| --- | ---: | ---: | ---: |");
      for (OrtProfile.Op op :
          ops.values().stream()
              .sorted(java.util.Comparator.comparingLong(OrtProfile.Op::micros).reversed())
              .limit(25)
              .toList()) {
        report.add(
            String.format(
                Locale.ROOT,
                "| %s | %d | %.1f | %.1f%% |",
                op.opType(),
                op.calls() / ORT_PROFILED_STEPS,
                op.micros() / 1e3 / ORT_PROFILED_STEPS,
                100.0 * op.micros() / opMicros));
      }
      report.add("");
      report.add("| slowest nodes | op | ms per step | share of kernel time |");
      report.add("| --- | --- | ---: | ---: |");
      for (OrtProfile.Op node :
          nodes.stream()
              .sorted(java.util.Comparator.comparingLong(OrtProfile.Op::micros).reversed())
              .limit(30)
              .toList()) {
        report.add(
            String.format(
                Locale.ROOT,
                "| %s | %s | %.1f | %.1f%% |",
                node.name(),
                node.opType(),
                node.micros() / 1e3 / ORT_PROFILED_STEPS,
                100.0 * node.micros() / opMicros));
      }
      if (keep != null) report.add("ONNX Runtime's trace files are in " + dir + ".");
    } finally {
      if (keep == null) {
        try (var files = Files.list(dir)) {
          for (Path f : files.toList()) Files.deleteIfExists(f);
        }
        Files.deleteIfExists(dir);
      }
    }
  }
}
