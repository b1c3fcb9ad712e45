package dev.vitmae.train.ort;

import dev.vitmae.datasets.ImageDataset;
import dev.vitmae.datasets.ImageSource;
import dev.vitmae.datasets.SyntheticDigits;
import dev.vitmae.graph.config.MaeConfig;
import dev.vitmae.graph.config.TrainConfig;
import dev.vitmae.graph.model.Mae;
import dev.vitmae.graph.model.Names;
import dev.vitmae.graph.train.InferenceModel;
import dev.vitmae.graph.train.MaeTask;
import dev.vitmae.graph.train.MemoryPolicy;
import dev.vitmae.graph.train.SameDiffEngine;
import dev.vitmae.graph.train.StepEngine;
import dev.vitmae.graph.train.Task;
import dev.vitmae.graph.train.Trainer;
import dev.vitmae.graph.train.TrainingBenchmark;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The step time of the reference MAE at batch 512 on both engines, the training graph with the
 * encoder on the visible tokens only against the key-masking graph (the encoder on every token,
 * masked ones hidden as keys: the training graph before issue 19 item 4). A measurement, not a
 * check: run with {@code -Dvitmae.bench=true} ({@code -Dvitmae.bench.steps}, default 3, after one
 * warm-up step; {@code -Dvitmae.bench.rounds}, default 2).
 */
@EnabledIfSystemProperty(named = "vitmae.bench", matches = "true")
class MaeVisibleOnlyBenchmark {
  static final int BATCH = 512;

  @Test
  void stepTimeAtBatch512() throws Exception {
    int steps = Integer.getInteger("vitmae.bench.steps", 3);
    int rounds = Integer.getInteger("vitmae.bench.rounds", 2);
    MaeConfig config = MaeConfig.reference();
    ImageDataset data = SyntheticDigits.generate("synthetic", BATCH, 5);
    // As `vitmae bench train` runs: the reference optimizer, the whole batch in one pass.
    TrainConfig train =
        TrainConfig.reference().toBuilder().epochs(1).batchSize(BATCH).microBatchSize(0).build();
    StepEngine.Factory[] engines = {SameDiffEngine.FACTORY, OrtEngine.factory()};
    for (int round = 1; round <= rounds; round++) {
      for (StepEngine.Factory engine : engines) {
        for (Task task : List.of(new KeyMaskingMae(new MaeTask(config)), new MaeTask(config))) {
          try (Trainer trainer =
              new Trainer(task, train)
                  .memoryPolicy(MemoryPolicy.COLLECT_EACH_MICRO_BATCH)
                  .engine(engine)) {
            var r =
                TrainingBenchmark.measure(trainer, data, BATCH, 1, steps, false, (b, d, t) -> {});
            System.out.printf(
                Locale.ROOT,
                "mae-bench round %d engine %-8s graph %-12s batch %d: median step %.3f s, %.1f img/s,"
                    + " peak RSS %d MiB%n",
                round,
                engine.name(),
                task instanceof MaeTask ? "visible-only" : "key-masking",
                BATCH,
                r.medianStepSeconds(),
                r.imagesPerSecond(),
                r.peakRssBytes() >> 20);
          }
        }
      }
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
    public Map<String, INDArray> feeds(ImageSource data, int[] indices, long seed) {
      return Map.of(
          Names.IMAGES, Task.images(data, indices), Names.MASK, mae.mask(indices.length, seed));
    }

    @Override
    public String metricName() {
      return mae.metricName();
    }

    @Override
    public double evaluate(SameDiff sd, ImageSource data, int batchSize) {
      throw new UnsupportedOperationException("a benchmark task");
    }
  }
}
