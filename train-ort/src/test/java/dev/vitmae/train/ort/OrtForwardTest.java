package dev.vitmae.train.ort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitmae.contract.TensorNames;
import dev.vitmae.datasets.masks.MultiBlockMaskSampler;
import dev.vitmae.datasets.masks.MultiBlockMasks;
import dev.vitmae.graph.model.Names;
import dev.vitmae.graph.train.IjepaTask;
import dev.vitmae.graph.train.MaeTask;
import dev.vitmae.graph.train.StepEngine;
import dev.vitmae.graph.train.Task;
import dev.vitmae.graph.train.Trainer;
import dev.vitmae.graph.train.VitTask;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * On the ort engine a task's forward passes outside the training step run on ONNX Runtime too:
 * I-JEPA's target tokens and test loss equal SameDiff's, and follow the EMA weights as the trainer
 * moves them in place; the MAE's and the ViT's test metrics equal SameDiff's.
 */
class OrtForwardTest {
  /** Relative tolerance: max |Δ| / max |SameDiff|. */
  static final double TOLERANCE = 1e-5;

  @Test
  void ijepaTargetTokensAndTestLossRunOnOrt() throws Exception {
    IjepaTask task = new IjepaTask(OrtEngineTest.IJEPA);
    INDArray images = Task.images(OrtEngineTest.DATA, new int[] {0, 1, 2, 3, 4});
    MultiBlockMasks masks =
        new MultiBlockMaskSampler(OrtEngineTest.IJEPA.masks()).sampleRagged(5, 7);
    try (Trainer trainer = new Trainer(task, OrtEngineTest.TRAIN).engine(OrtEngine.factory())) {
      INDArray before = null;
      for (int epoch = 0; epoch < 2; epoch++) {
        INDArray served = task.feeds(images, masks).get(Names.TARGET_TOKENS);
        INDArray reference =
            task.targetEncoder()
                .output(Map.of(TensorNames.IMAGES, images), TensorNames.TOKENS)
                .get(TensorNames.TOKENS);
        double diff = relative(reference, served);
        assertTrue(diff <= TOLERANCE, "target tokens after " + epoch + " epochs: " + diff);
        if (before != null) {
          double moved = relative(before, served);
          assertTrue(moved > 10 * TOLERANCE, "the EMA moved the tokens by only " + moved);
        }
        before = served;
        trainer.fit(OrtEngineTest.DATA, 1, List.of());
      }
      double ort = trainer.evaluate(OrtEngineTest.DATA, 16);
      try (Trainer sameDiff =
          Trainer.resume(
              new IjepaTask(OrtEngineTest.IJEPA), OrtEngineTest.TRAIN, trainer.checkpoint())) {
        double reference = sameDiff.evaluate(OrtEngineTest.DATA, 16);
        assertEquals(reference, ort, TOLERANCE * Math.abs(reference), "test loss");
      }
    }
  }

  /**
   * The MAE's test masked MSE and the ViT's test accuracy, scored by a trainer on the ort engine,
   * run on that engine's forward passes and equal SameDiff's.
   */
  @Test
  void maeAndVitTestMetricsRunOnTheTrainersEngine() throws Exception {
    for (Task task : List.of(new MaeTask(OrtEngineTest.MAE), new VitTask(OrtEngineTest.VIT))) {
      List<List<String>> opened = new java.util.ArrayList<>();
      StepEngine.Factory ort = OrtEngine.factory();
      StepEngine.Factory watched =
          new StepEngine.Factory() {
            @Override
            public String name() {
              return ort.name();
            }

            @Override
            public StepEngine open(StepEngine.Setup setup) {
              return ort.open(setup);
            }

            @Override
            public StepEngine.Forward forward(
                org.nd4j.autodiff.samediff.SameDiff graph, List<String> outputs) {
              opened.add(outputs);
              return ort.forward(graph, outputs);
            }
          };
      try (Trainer trainer = new Trainer(task, OrtEngineTest.TRAIN).engine(watched)) {
        trainer.fit(OrtEngineTest.DATA, 1, List.of());
        double onOrt = trainer.evaluate(OrtEngineTest.DATA, 16);
        assertEquals(1, opened.size(), task.kind() + " opened " + opened);
        try (Trainer sameDiff = Trainer.resume(task, OrtEngineTest.TRAIN, trainer.checkpoint())) {
          double reference = sameDiff.evaluate(OrtEngineTest.DATA, 16);
          // Accuracy: at most one of the 48 images may flip on a near tie.
          double tolerance =
              task instanceof VitTask ? 1.0 / OrtEngineTest.DATA.count() : TOLERANCE * reference;
          assertEquals(reference, onOrt, tolerance, task.metricName());
        }
      }
    }
  }

  private static double relative(INDArray expected, INDArray actual) {
    INDArray x = expected.castTo(DataType.DOUBLE);
    INDArray y = actual.castTo(DataType.DOUBLE);
    return x.sub(y).amaxNumber().doubleValue() / Math.max(x.amaxNumber().doubleValue(), 1e-3);
  }
}
