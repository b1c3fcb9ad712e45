package dev.vitmae.graph.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitmae.datasets.ImageSource;
import dev.vitmae.datasets.SyntheticDigits;
import dev.vitmae.graph.config.MaeConfig;
import dev.vitmae.graph.model.Names;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The collapse monitors on a healthy random encoder and on one made to collapse. */
class HealthMonitorTest {
  static final ImageSource DATA = SyntheticDigits.generate("synthetic-train", 48, 1);

  @Test
  void aRandomEncoderIsHealthy() throws IOException {
    Trainer trainer = new Trainer(new MaeTask(TrainerTest.MAE), TrainerTest.TRAIN);
    List<String> warnings = new ArrayList<>();
    Map<String, Double> metrics = epochDone(trainer, warnings);
    assertTrue(metrics.get(HealthMonitor.STD) > HealthMonitor.COLLAPSE_STD, metrics.toString());
    assertTrue(metrics.get(HealthMonitor.RANK) > 2, metrics.toString());
    assertTrue(metrics.get(HealthMonitor.VISIBLE_MSE) > 0, metrics.toString());
    assertTrue(warnings.isEmpty(), warnings.toString());
  }

  @Test
  void aCollapsedEncoderIsReportedWithAWarning() throws IOException {
    Trainer trainer = new Trainer(new MaeTask(TrainerTest.MAE), TrainerTest.TRAIN);
    // A zero patch projection: every token is then LayerNorm's bias plus its position, whatever
    // the image, so every image has the same features.
    trainer
        .params()
        .forEach(
            (name, w) -> {
              if (name.startsWith("encoder/patch_embed/proj") && w.rank() == 2) w.assign(0);
            });
    List<String> warnings = new ArrayList<>();
    Map<String, Double> metrics = epochDone(trainer, warnings);
    assertEquals(0.0, metrics.get(HealthMonitor.STD), 1e-6);
    assertEquals(1.0, metrics.get(HealthMonitor.RANK), 1e-3);
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).contains("collapsing"), warnings.get(0));
  }

  @Test
  void maskedErrorIsTheTrainingLoss() {
    for (boolean normPix : new boolean[] {false, true}) {
      MaeConfig config = TrainerTest.MAE.toBuilder().normPixelLoss(normPix).build();
      MaeTask task = new MaeTask(config);
      Trainer trainer = new Trainer(task, TrainerTest.TRAIN);
      // 100 > 48 images: the whole set, in one batch, with the evaluation masks.
      HealthMonitor monitor = new HealthMonitor(DATA, 100, 1, 0, w -> {});
      HealthMonitor.Health h = monitor.measure(trainer);
      int[] all = Task.range(0, DATA.count());
      Map<String, INDArray> feeds = task.feeds(Task.images(DATA, all), task.evalMasks(all));
      double loss = trainer.graph().output(feeds, Names.LOSS).get(Names.LOSS).getDouble(0);
      assertEquals(loss, h.maskedMse(), 1e-5 * loss, "normPixelLoss " + normPix);
      assertTrue(h.visibleMse() > 0 && Double.isFinite(h.visibleMse()));
    }
  }

  @Test
  void itsColumnsReachMetricsCsv(@TempDir Path dir) throws IOException {
    Trainer trainer = new Trainer(new MaeTask(TrainerTest.MAE), TrainerTest.TRAIN);
    Path csv = dir.resolve(Trainer.METRICS);
    trainer.fit(DATA, 1, List.of(Listeners.health(DATA), Listeners.metricsCsv(csv)));
    List<String> lines = Files.readAllLines(csv);
    assertEquals(2, lines.size(), lines.toString());
    assertTrue(
        lines
            .get(0)
            .startsWith(
                "epoch,step,train_loss,embed_std,embed_rank,train_visible_mse,train_masked_mse,"),
        lines.get(0));
  }

  @Test
  void aResumedRunWithNewColumnsKeepsMetricsCsvRectangular(@TempDir Path dir) throws IOException {
    Path csv = dir.resolve(Trainer.METRICS);
    // An older run: one metric; then the health columns arrive, then one metric goes missing.
    Files.writeString(
        csv,
        "epoch,step,train_loss,test_masked_mse,lr,seconds,img_per_s\n"
            + "1,3,0.500000,0.400000,0.001,1.0,48.0\n");
    TrainingListener writer = Listeners.metricsCsv(csv);
    Map<String, Double> second = new LinkedHashMap<>();
    second.put("test_masked_mse", 0.3);
    second.put(HealthMonitor.STD, 0.2);
    writer.epochDone(null, new TrainingListener.EpochResult(2, 6, 0.4, 1e-3, 1.0, 48, second));
    writer.epochDone(
        null,
        new TrainingListener.EpochResult(
            3, 9, 0.3, 1e-3, 1.0, 48, new LinkedHashMap<>(Map.of(HealthMonitor.STD, 0.1))));
    assertEquals(
        List.of(
            "epoch,step,train_loss,test_masked_mse,embed_std,lr,seconds,img_per_s",
            "1,3,0.500000,0.400000,NaN,0.001,1.0,48.0",
            "2,6,0.400000,0.300000,0.200000,0.00100,1.0,48.0",
            "3,9,0.300000,NaN,0.100000,0.00100,1.0,48.0"),
        Files.readAllLines(csv));
  }

  /**
   * The threshold is the user's: a healthy random encoder (std ~0.18) warns under a threshold above
   * its std, a collapsed one never under 0; a negative or non-finite threshold is refused.
   */
  @Test
  void theCollapseThresholdIsSettable() throws IOException {
    Trainer trainer = new Trainer(new MaeTask(TrainerTest.MAE), TrainerTest.TRAIN);
    List<String> warnings = new ArrayList<>();
    double std = epochDone(trainer, warnings, 10).get(HealthMonitor.STD);
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).contains("< 10.0"), warnings.get(0));
    warnings.clear();
    epochDone(trainer, warnings, std * 0.99);
    assertTrue(warnings.isEmpty(), warnings.toString());
    for (double bad : new double[] {-1e-3, Double.NaN, Double.POSITIVE_INFINITY}) {
      var e =
          org.junit.jupiter.api.Assertions.assertThrows(
              IllegalArgumentException.class, () -> Listeners.health(DATA, bad));
      assertTrue(e.getMessage().contains("collapse threshold"), e.getMessage());
    }
  }

  private static Map<String, Double> epochDone(Trainer trainer, List<String> warnings)
      throws IOException {
    return epochDone(trainer, warnings, HealthMonitor.COLLAPSE_STD);
  }

  private static Map<String, Double> epochDone(
      Trainer trainer, List<String> warnings, double collapseStd) throws IOException {
    HealthMonitor monitor =
        new HealthMonitor(DATA, 32, HealthMonitor.SEED, collapseStd, warnings::add);
    Map<String, Double> metrics = new LinkedHashMap<>();
    monitor.epochDone(trainer, new TrainingListener.EpochResult(1, 3, 0.5, 1e-3, 1.0, 48, metrics));
    return metrics;
  }
}
