package dev.vitmae.train.ort;

import dev.vitmae.contract.TensorNames;
import dev.vitmae.datasets.ImageDataset;
import dev.vitmae.datasets.ImageSource;
import dev.vitmae.datasets.SyntheticDigits;
import dev.vitmae.graph.config.MaeConfig;
import dev.vitmae.graph.config.TrainConfig;
import dev.vitmae.graph.model.Mae;
import dev.vitmae.graph.train.Batch;
import dev.vitmae.graph.train.InferenceModel;
import dev.vitmae.graph.train.MaeTask;
import dev.vitmae.graph.train.MemoryPolicy;
import dev.vitmae.graph.train.SameDiffEngine;
import dev.vitmae.graph.train.StepEngine;
import dev.vitmae.graph.train.Task;
import dev.vitmae.graph.train.Trainer;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The step time of an MAE at batch 512 on both engines: the training graph with the encoder on the
 * visible tokens only against the key-masking graph (the encoder on every token, masked ones hidden
 * as keys: the training graph before issue 19 item 4). Both trainers are open at once and their
 * steps alternate, so load from other processes falls on both alike; reported are the medians and
 * the median of the per-pair ratios. A measurement, not a check: run with {@code
 * -Dvitmae.bench=true} ({@code -Dvitmae.bench.steps}, default 5 timed pairs after one warm-up pair;
 * {@code -Dvitmae.bench.presets}, default {@code reference,small}).
 */
@EnabledIfSystemProperty(named = "vitmae.bench", matches = "true")
class MaeVisibleOnlyBenchmark {
  static final int BATCH = 512;

  @Test
  void stepTimeAtBatch512() throws Exception {
    int steps = Integer.getInteger("vitmae.bench.steps", 5);
    String presets = System.getProperty("vitmae.bench.presets", "reference,small");
    ImageDataset data = SyntheticDigits.generate("synthetic", BATCH, 5);
    // As `vitmae bench train` runs: the reference optimizer, the whole batch in one pass.
    TrainConfig train =
        TrainConfig.reference().toBuilder().epochs(1).batchSize(BATCH).microBatchSize(0).build();
    for (String name : presets.split(",")) {
      MaeConfig config = MaeConfig.preset(name);
      MaeTask visibleOnly = new MaeTask(config);
      Task keyMasking = new KeyMaskingMae(visibleOnly);
      Map<String, INDArray> keyFeeds = keyMasking.feeds(Batch.read(data, Task.range(0, BATCH), 1));
      Map<String, INDArray> visibleFeeds =
          visibleOnly.feeds(Batch.read(data, Task.range(0, BATCH), 1));
      for (StepEngine.Factory engine : List.of(SameDiffEngine.FACTORY, OrtEngine.factory())) {
        try (Trainer key = trainer(keyMasking, train, engine);
            Trainer visible = trainer(visibleOnly, train, engine)) {
          double[] a = new double[steps];
          double[] b = new double[steps];
          double[] ratio = new double[steps];
          for (int s = -1; s < steps; s++) {
            double ta = seconds(key, keyFeeds);
            double tb = seconds(visible, visibleFeeds);
            if (s < 0) continue;
            a[s] = ta;
            b[s] = tb;
            ratio[s] = ta / tb;
          }
          System.out.printf(
              Locale.ROOT,
              "mae-bench %s (%d of %d patches masked) engine %s batch %d: key-masking %.3f s/step"
                  + " (%.1f img/s), visible-only %.3f s/step (%.1f img/s), speed-up %.2fx (median"
                  + " of %d pairs: %s), peak RSS %d MiB%n",
              name,
              config.numMasked(),
              config.encoder().numPatches(),
              engine.name(),
              BATCH,
              median(a),
              BATCH / median(a),
              median(b),
              BATCH / median(b),
              median(ratio),
              steps,
              Arrays.toString(Arrays.stream(ratio).map(r -> Math.round(r * 100) / 100.0).toArray()),
              TrainingBenchmarkMemory.peakRssMiB());
        }
      }
    }
  }

  private static Trainer trainer(Task task, TrainConfig train, StepEngine.Factory engine) {
    return new Trainer(task, train)
        .memoryPolicy(MemoryPolicy.COLLECT_EACH_MICRO_BATCH)
        .engine(engine);
  }

  private static double seconds(Trainer trainer, Map<String, INDArray> feeds) {
    long t0 = System.nanoTime();
    trainer.trainStep(feeds, trainer.config().lr());
    return (System.nanoTime() - t0) / 1e9;
  }

  private static double median(double[] x) {
    double[] s = x.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  /** Peak RSS of this process from /proc/self/status (0 where unavailable). */
  static final class TrainingBenchmarkMemory {
    static long peakRssMiB() {
      try {
        for (String line :
            java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
          if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("\\D", "")) >> 10;
        }
      } catch (java.io.IOException | NumberFormatException e) {
        return 0;
      }
      return 0;
    }
  }

  /** The MAE trained through the key-masking graph, fed the float mask of the same draw. */
  record KeyMaskingMae(MaeTask mae) implements Task {
    @Override
    public String kind() {
      return mae.kind();
    }

    @Override
    public String configJson() {
      return mae.configJson();
    }

    @Override
    public SameDiff build(DataType dtype, long seed) {
      return Mae.build(mae.config(), dtype, seed);
    }

    @Override
    public List<InferenceModel> inferenceModels() {
      return mae.inferenceModels();
    }

    @Override
    public Map<String, INDArray> feeds(Batch batch) {
      return Map.of(
          TensorNames.IMAGES,
          batch.images(),
          TensorNames.MASK,
          mae.mask(batch.size(), batch.seed()));
    }

    @Override
    public String metricName() {
      return mae.metricName();
    }

    @Override
    public double evaluate(
        SameDiff sd, dev.vitmae.graph.train.Forwards forwards, ImageSource data, int batchSize) {
      throw new UnsupportedOperationException("a benchmark task");
    }
  }
}
