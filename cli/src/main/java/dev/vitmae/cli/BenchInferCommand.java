package dev.vitmae.cli;

import dev.vitmae.contract.TensorNames;
import dev.vitmae.datasets.AtomicFiles;
import dev.vitmae.export.CheckpointExporter;
import dev.vitmae.graph.config.TrainConfig;
import dev.vitmae.graph.eval.Inference;
import dev.vitmae.graph.train.Checkpoint;
import dev.vitmae.graph.train.InferenceModel;
import dev.vitmae.graph.train.Trainer;
import dev.vitmae.graph.train.VitTask;
import dev.vitmae.runtime.Device;
import dev.vitmae.runtime.ModelOptions;
import dev.vitmae.runtime.OptimizationLevel;
import dev.vitmae.runtime.VitModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vitmae bench infer}: inference latency and throughput of a checkpoint's models, in
 * SameDiff (the graph the exporter builds) and in ONNX Runtime through {@link VitModel} under every
 * combination of the session options it varies. Prints the environment and two Markdown tables: the
 * winners per model and batch, and every configuration.
 */
@Command(
    name = "infer",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Benchmark inference: SameDiff vs ONNX Runtime (intra-op threads x optimization level x memory"
          + " pattern on/off x input as direct FloatBuffer or float[]).",
      "Reports p50/p95 latency (ms) and throughput (img/s) per model and batch size as Markdown tables."
    })
final class BenchInferCommand implements Callable<Integer> {
  static final String UNBENCHED =
      "bench infer measures encoder, mae and classifier models, not the I-JEPA predictor";

  @Option(
      names = "--checkpoint",
      paramLabel = "FILE",
      description = "A training checkpoint (or --vit).")
  private Path checkpoint;

  @Option(
      names = "--vit",
      paramLabel = "SHAPE",
      description =
          "Instead of a checkpoint: a ViT classifier of timm's shape with random weights: tiny,"
              + " small or base (patch 16, depth 12).")
  private VitShape vit;

  @Option(
      names = "--image-size",
      paramLabel = "N",
      defaultValue = "224",
      description = "The --vit model's image size (default: ${DEFAULT-VALUE}).")
  private int imageSize;

  @Option(
      names = "--no-samediff",
      description = "Time ONNX Runtime only (SameDiff is slow on large models).")
  private boolean noSameDiff;

  @Option(
      names = "--models",
      split = ",",
      paramLabel = "LIST",
      description = "encoder, mae, classifier (default: all the checkpoint provides).")
  private List<String> models;

  @Option(
      names = "--warmup",
      defaultValue = "20",
      paramLabel = "N",
      description = "Untimed runs before each measurement (default: ${DEFAULT-VALUE}).")
  private int warmup;

  @Option(
      names = "--iters",
      defaultValue = "200",
      paramLabel = "N",
      description = "Timed runs per measurement (default: ${DEFAULT-VALUE}).")
  private int iters;

  @Option(
      names = "--batches",
      split = ",",
      defaultValue = "1,64,512",
      paramLabel = "LIST",
      description = "Batch sizes (default: ${DEFAULT-VALUE}).")
  private List<Integer> batches;

  @Option(
      names = "--threads",
      split = ",",
      defaultValue = "1,2",
      paramLabel = "LIST",
      description =
          "ONNX Runtime intra-op thread counts, 0 = its default (default: ${DEFAULT-VALUE}).")
  private List<Integer> threads;

  @Option(
      names = "--opt",
      split = ",",
      defaultValue = "all,basic",
      paramLabel = "LIST",
      description =
          "ONNX Runtime optimization levels: none, basic, extended, layout, all (default: ${DEFAULT-VALUE}).")
  private List<OptimizationLevel> levels;

  @Option(
      names = "--device",
      defaultValue = "cpu",
      paramLabel = "DEVICE",
      description = "ONNX Runtime device: cpu, cuda or auto (default: ${DEFAULT-VALUE}).")
  private Device device;

  @Option(
      names = "--memory-pattern",
      arity = "1",
      split = ",",
      paramLabel = "on|off,..",
      defaultValue = "on,off",
      converter = OnOff.class,
      description = "ONNX Runtime memory pattern settings to time (default: ${DEFAULT-VALUE}).")
  private List<Boolean> memoryPatterns;

  @Option(
      names = "--inputs",
      split = ",",
      paramLabel = "array|direct,..",
      defaultValue = "array,direct",
      description =
          "Input forms to time: float[] (array) or direct FloatBuffer (default: ${DEFAULT-VALUE}).")
  private List<Input> inputForms;

  @Option(names = "--out", paramLabel = "FILE.md", description = "Also write the report here.")
  private Path out;

  @Spec private CommandSpec spec;

  /**
   * How ONNX Runtime receives the images: staged by VitModel from a heap array, or read in place.
   */
  /** {@code on} / {@code off} as a boolean. */
  static final class OnOff implements picocli.CommandLine.ITypeConverter<Boolean> {
    @Override
    public Boolean convert(String value) {
      return switch (value.trim().toLowerCase(Locale.ROOT)) {
        case "on" -> true;
        case "off" -> false;
        default ->
            throw new picocli.CommandLine.TypeConversionException("on or off, got '" + value + "'");
      };
    }
  }

  enum Input {
    ARRAY("float[]"),
    DIRECT("direct FloatBuffer");

    final String label;

    Input(String label) {
      this.label = label;
    }
  }

  /**
   * One measurement; {@code options} describes an ONNX Runtime configuration, empty for SameDiff.
   */
  record Row(String model, int batch, String engine, List<String> options, Timings timings) {
    boolean sameDiff() {
      return options.isEmpty();
    }

    /** Batch 1 is about latency (lower p50 wins), larger batches about throughput. */
    double score() {
      return batch == 1 ? -timings.p50Ms() : timings.imagesPerSecond(batch);
    }
  }

  @Override
  public Integer call() throws IOException {
    validate();
    Checkpoint ckpt =
        vit != null
            ? new Trainer(new VitTask(vit.config(imageSize)), TrainConfig.reference()).checkpoint()
            : Checkpoint.read(checkpoint);
    CheckpointExporter exporter = CheckpointExporter.of(ckpt);
    List<String> chosen =
        models == null
            ? exporter.available().stream()
                .filter(m -> !m.equals(InferenceModel.PREDICTOR))
                .toList()
            : exporter.choose(models);
    if (chosen.contains(InferenceModel.PREDICTOR)) throw new IllegalArgumentException(UNBENCHED);
    BenchInputs inputs =
        BenchInputs.random(ckpt, batches.stream().mapToInt(Integer::intValue).max().orElseThrow());
    List<Row> rows = new ArrayList<>();
    Set<String> providers = new LinkedHashSet<>();
    Path dir = Files.createTempDirectory("vitmae-bench-");
    try {
      for (String model : chosen) {
        Path onnx = exporter.export(dir, List.of(model)).get(0);
        if (!noSameDiff) sameDiff(ckpt, model, inputs, rows);
        onnxRuntime(onnx, model, inputs, rows, providers);
      }
    } finally {
      deleteTree(dir);
    }
    String report = report(ckpt, rows, providers);
    spec.commandLine().getOut().print(report);
    if (out != null) {
      AtomicFiles.write(out, o -> o.write(report.getBytes(StandardCharsets.UTF_8)));
      spec.commandLine().getOut().println("wrote " + out);
    }
    return 0;
  }

  private void validate() {
    if ((checkpoint == null) == (vit == null)) {
      throw new IllegalArgumentException("give --checkpoint FILE or --vit tiny|small|base");
    }
    if (warmup < 0 || iters < 1) {
      throw new IllegalArgumentException(
          "--warmup must be >= 0 and --iters >= 1, got " + warmup + " and " + iters);
    }
    if (batches.isEmpty() || batches.stream().anyMatch(b -> b < 1)) {
      throw new IllegalArgumentException("--batches must be positive, got " + batches);
    }
    if (threads.isEmpty() || threads.stream().anyMatch(t -> t < 0)) {
      throw new IllegalArgumentException(
          "--threads must be >= 0 (0 = ONNX Runtime's default), got " + threads);
    }
  }

  /** The inference graph the exporter builds, with the checkpoint's weights, run by SameDiff. */
  private void sameDiff(Checkpoint ckpt, String model, BenchInputs inputs, List<Row> rows) {
    CheckpointExporter exporter = CheckpointExporter.of(ckpt);
    var sd = exporter.inferenceGraph(model);
    List<String> outputs = exporter.model(model).outputs();
    for (int batch : batches) {
      Map<String, float[]> feeds =
          !model.equals(InferenceModel.MAE)
              ? Map.of(TensorNames.IMAGES, inputs.images(batch))
              : Map.of(
                  TensorNames.IMAGES, inputs.images(batch), TensorNames.MASK, inputs.mask(batch));
      rows.add(
          progress(
              new Row(
                  model,
                  batch,
                  "SameDiff",
                  List.of(),
                  Timings.measure(warmup, iters, Inference.prepare(sd, feeds, batch, outputs)))));
    }
  }

  /**
   * One session per (threads, optimization, memory pattern); every batch size and input kind on
   * each.
   */
  private void onnxRuntime(
      Path onnx, String model, BenchInputs inputs, List<Row> rows, Set<String> providers) {
    for (int t : threads) {
      for (OptimizationLevel level : levels) {
        for (boolean memoryPattern : memoryPatterns) {
          ModelOptions options =
              ModelOptions.defaults()
                  .withDevice(device)
                  .withIntraOpThreads(t)
                  .withOptimization(level)
                  .withMemoryPattern(memoryPattern);
          try (VitModel vm = VitModel.open(onnx, options)) {
            providers.add(vm.executionProvider());
            for (int batch : batches) {
              for (Input input : inputForms) {
                Runnable run = inputs.runner(vm, model, batch, input == Input.DIRECT);
                List<String> described =
                    List.of(
                        t == 0 ? "default" : Integer.toString(t),
                        level.name().toLowerCase(Locale.ROOT),
                        memoryPattern ? "on" : "off",
                        input.label);
                rows.add(
                    progress(
                        new Row(
                            model,
                            batch,
                            "ONNX Runtime",
                            described,
                            Timings.measure(warmup, iters, run))));
              }
            }
          }
        }
      }
    }
  }

  /** Logs one measurement to stderr, so a long run shows where it is. */
  private Row progress(Row row) {
    spec.commandLine()
        .getErr()
        .printf(
            Locale.ROOT,
            "%s batch %d %s %s: p50 %.3f ms, %.1f img/s%n",
            row.model(),
            row.batch(),
            row.engine(),
            row.options(),
            row.timings().p50Ms(),
            row.timings().imagesPerSecond(row.batch()));
    spec.commandLine().getErr().flush();
    return row;
  }

  private String report(Checkpoint ckpt, List<Row> rows, Set<String> providers) {
    List<String> settings =
        List.of(
            vit != null
                ? "model: " + vit.describe(imageSize)
                : "checkpoint: "
                    + checkpoint
                    + " ("
                    + ckpt.kind()
                    + ", epochs done: "
                    + ckpt.progress().epochsDone()
                    + ")",
            "ONNX Runtime "
                + dev.vitmae.runtime.OrtNative.environment().getVersion()
                + " on "
                + providers
                + ", intra-op threads "
                + threads
                + " (0 = default), inter-op threads default",
            "SameDiff: " + dev.vitmae.graph.train.Backend.describe(),
            "warmup "
                + warmup
                + ", iters "
                + iters
                + " per measurement; p50/p95 of single runs (ms);"
                + " img/s = images / mean run time; batch 1 is won on p50, larger batches on img/s");
    StringBuilder md = new StringBuilder("## Inference benchmark: SameDiff vs ONNX Runtime\n\n");
    BenchEnvironment.describe(spec.commandLine().getParseResult().originalArgs(), settings)
        .forEach(line -> md.append(line).append('\n'));
    md.append("\n### Best per model and batch\n\n")
        .append(summary(rows))
        .append("\n### Every configuration\n\n")
        .append(everything(rows))
        .append(
            String.format(
                Locale.ROOT,
                "%nPeak RSS of this process (every model, batch and configuration above): %d MiB%n",
                BenchEnvironment.peakRssMiB()));
    return md.toString();
  }

  private static MarkdownTable summary(List<Row> rows) {
    MarkdownTable table =
        new MarkdownTable(
            "model",
            "batch",
            "SameDiff p50 ms",
            "SameDiff p95 ms",
            "SameDiff img/s",
            "ORT p50 ms",
            "ORT p95 ms",
            "ORT img/s",
            "ORT speed-up",
            "ORT options that won");
    Set<String> groups = new LinkedHashSet<>();
    rows.forEach(r -> groups.add(r.model() + "\u0000" + r.batch()));
    for (String group : groups) {
      List<Row> of =
          rows.stream().filter(r -> group.equals(r.model() + "\u0000" + r.batch())).toList();
      Row sd = of.stream().filter(Row::sameDiff).findFirst().orElse(null);
      Row best =
          of.stream()
              .filter(r -> !r.sameDiff())
              .max(Comparator.comparingDouble(Row::score))
              .orElseThrow();
      String speedup =
          sd == null
              ? "-"
              : String.format(
                  Locale.ROOT,
                  "%.2fx",
                  best.batch() == 1
                      ? sd.timings().p50Ms() / best.timings().p50Ms()
                      : best.timings().imagesPerSecond(best.batch())
                          / sd.timings().imagesPerSecond(sd.batch()));
      table.row(
          best.model(),
          Integer.toString(best.batch()),
          sd == null ? "-" : ms(sd.timings().p50Ms()),
          sd == null ? "-" : ms(sd.timings().p95Ms()),
          sd == null ? "-" : rate(sd),
          ms(best.timings().p50Ms()),
          ms(best.timings().p95Ms()),
          rate(best),
          speedup,
          "threads "
              + best.options().get(0)
              + ", opt "
              + best.options().get(1)
              + ", mem pattern "
              + best.options().get(2)
              + ", "
              + best.options().get(3));
    }
    return table;
  }

  private static MarkdownTable everything(List<Row> rows) {
    MarkdownTable table =
        new MarkdownTable(
            "model",
            "batch",
            "engine",
            "intra-op threads",
            "optimization",
            "memory pattern",
            "input",
            "p50 ms",
            "p95 ms",
            "img/s");
    for (Row r : rows) {
      List<String> o = r.sameDiff() ? List.of("-", "-", "-", "INDArray") : r.options();
      table.row(
          r.model(),
          Integer.toString(r.batch()),
          r.engine(),
          o.get(0),
          o.get(1),
          o.get(2),
          o.get(3),
          ms(r.timings().p50Ms()),
          ms(r.timings().p95Ms()),
          rate(r));
    }
    return table;
  }

  private static String ms(double value) {
    return String.format(Locale.ROOT, "%.3f", value);
  }

  private static String rate(Row r) {
    return String.format(Locale.ROOT, "%.1f", r.timings().imagesPerSecond(r.batch()));
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
