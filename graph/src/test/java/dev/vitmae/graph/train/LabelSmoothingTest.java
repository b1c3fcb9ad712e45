package dev.vitmae.graph.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitmae.contract.TensorNames;
import dev.vitmae.datasets.ImageSource;
import dev.vitmae.datasets.SyntheticDigits;
import dev.vitmae.graph.config.RecordJson;
import dev.vitmae.graph.config.TrainConfig;
import dev.vitmae.graph.model.Names;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Label smoothing ({@link TrainConfig#labelSmoothing()}): the targets, the loss, the record. */
class LabelSmoothingTest {
  static final TrainConfig SMOOTHED = FineTuningTest.TRAIN.toBuilder().labelSmoothing(0.1).build();

  @Test
  void theTargetsAreTheSmoothedOneHotRows() {
    ImageSource data = SyntheticDigits.generate("s", 8, 1);
    int[] idx = Task.range(0, 8);
    INDArray labels =
        new VitTask(FineTuningTest.VIT, 0.1).feeds(Batch.read(data, idx, 1)).get(Names.LABELS);
    int k = FineTuningTest.VIT.numClasses();
    for (int i = 0; i < idx.length; i++) {
      double sum = 0;
      for (int c = 0; c < k; c++) {
        double y = labels.getDouble(i, c);
        assertEquals(
            c == data.label(i) ? 0.9 + 0.1 / k : 0.1 / k, y, 1e-7, "row " + i + " col " + c);
        sum += y;
      }
      assertEquals(1, sum, 1e-6, "a distribution");
    }
  }

  @Test
  void theStepLossIsTheSmoothedCrossEntropyOfTheLogits() {
    ImageSource data = SyntheticDigits.generate("s", 8, 1);
    int[] idx = Task.range(0, 8);
    Trainer t = new Trainer(new VitTask(FineTuningTest.VIT), SMOOTHED);
    assertEquals(
        0.1, ((VitTask) t.task()).labelSmoothing(), "the trainer trains the smoothed task");
    INDArray logits =
        t.graph()
            .output(Map.of(TensorNames.IMAGES, Task.images(data, idx)), TensorNames.LOGITS)
            .get(TensorNames.LOGITS);
    int k = FineTuningTest.VIT.numClasses();
    double expected = 0;
    double plain = 0;
    for (int i = 0; i < idx.length; i++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < k; c++) max = Math.max(max, logits.getDouble(i, c));
      double z = 0;
      for (int c = 0; c < k; c++) z += Math.exp(logits.getDouble(i, c) - max);
      // (1 - ε)·CE(true class) + ε·mean over classes of CE(class)
      double ce = 0;
      for (int c = 0; c < k; c++) {
        double nll = -(logits.getDouble(i, c) - max - Math.log(z));
        ce += (c == data.label(i) ? 0.9 : 0) * nll + 0.1 / k * nll;
        if (c == data.label(i)) plain += nll / idx.length;
      }
      expected += ce / idx.length;
    }
    assertTrue(Math.abs(expected - plain) > 1e-3, "the check can tell smoothing from none");
    t.planSteps(1);
    assertEquals(expected, t.trainStep(data, idx), 1e-5 * expected);
  }

  @Test
  void aTaskWithoutLabelsRefusesIt() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new Trainer(new MaeTask(TrainerTest.MAE), SMOOTHED));
    assertTrue(e.getMessage().contains("label smoothing 0.1 needs labels"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> FineTuningTest.TRAIN.toBuilder().labelSmoothing(1).build());
  }

  @Test
  void aResumedRunSmoothsAsTheSavedOneDidAndOldCheckpointsReadZero(@TempDir Path tmp)
      throws Exception {
    Trainer t = new Trainer(new VitTask(FineTuningTest.VIT), SMOOTHED);
    Path file = tmp.resolve("checkpoint.zip");
    t.checkpoint().write(file);
    Checkpoint read = Checkpoint.read(file);
    assertEquals(0.1, read.train().labelSmoothing());
    Trainer resumed = Trainer.resume(new VitTask(FineTuningTest.VIT), read.train(), read);
    assertEquals(0.1, ((VitTask) resumed.task()).labelSmoothing());

    String json = RecordJson.write(SMOOTHED).replace(",\"labelSmoothing\":0.1", "");
    assertTrue(!json.contains("labelSmoothing"), json);
    assertEquals(0, RecordJson.read(TrainConfig.class, json).labelSmoothing(), "written before");
  }
}
