package dev.vitmae.graph.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitmae.contract.TensorNames;
import dev.vitmae.datasets.DatasetSplits;
import dev.vitmae.datasets.masks.MultiBlockConfig;
import dev.vitmae.graph.config.IjepaConfig;
import dev.vitmae.graph.config.TrainConfig;
import dev.vitmae.graph.model.Names;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** I-JEPA training: the EMA target encoder, its schedule, resume, evaluation and micro-batches. */
class IjepaTaskTest {
  static final IjepaConfig IJEPA =
      IjepaConfig.builder()
          .encoder(TrainerTest.VIT)
          .predictorDim(8)
          .predictorDepth(1)
          .predictorHeads(2)
          .predictorDimHead(4)
          .predictorMlpDim(16)
          .masks(MultiBlockConfig.defaultsFor(4, 4))
          .emaStart(0.9)
          .emaEnd(1.0)
          .build();
  static final TrainConfig TRAIN = TrainerTest.TRAIN;
  static DatasetSplits data;

  @BeforeAll
  static void data() {
    TrainerTest.data();
    data = TrainerTest.data;
  }

  @Test
  void targetEncoderStartsAsTheContextEncoderAndFollowsItByMomentum() {
    Trainer trainer = new Trainer(new IjepaTask(IJEPA), TRAIN);
    Map<String, INDArray> ema = trainer.task().ema();
    assertTrue(
        ema.size() > 10 && ema.keySet().stream().allMatch(n -> n.startsWith("encoder/")),
        "EMA weights: " + ema.keySet());
    Map<String, INDArray> before = new LinkedHashMap<>();
    ema.forEach(
        (name, t) -> {
          assertEquals(trainer.params().get(name), t, name);
          before.put(name, t.dup());
        });
    var feeds = trainer.task().feeds(Batch.read(data.train(), Task.range(0, 8), 1));
    trainer.planSteps(10);
    trainer.trainStep(feeds, 3e-3);
    // Step 1 of 10: momentum emaStart = 0.9.
    ema.forEach(
        (name, t) -> {
          INDArray expected = before.get(name).mul(0.9).add(trainer.params().get(name).mul(0.1));
          assertTrue(t.equalsWithEps(expected, 1e-6), name);
        });
    long differing =
        ema.entrySet().stream()
            .filter(e -> !e.getValue().equals(trainer.params().get(e.getKey())))
            .count();
    assertTrue(differing > 0, "a step must separate the target and context encoders");
  }

  @Test
  void momentumRisesLinearlyFromStartToEnd() {
    IjepaConfig c = IjepaConfig.reference();
    assertEquals(0.996, c.momentumAt(1, 101), 1e-15);
    assertEquals(0.998, c.momentumAt(51, 101), 1e-15);
    assertEquals(1.0, c.momentumAt(101, 101), 1e-15);
    assertEquals(1.0, c.momentumAt(500, 101), 1e-15);
    assertEquals(0.996, c.momentumAt(7, 0), 1e-15);
  }

  @Test
  void resumedRunEqualsUninterruptedRunWithTheTargetEncoder(@TempDir Path dir) throws IOException {
    Trainer straight = new Trainer(new IjepaTask(IJEPA), TRAIN);
    straight.fit(
        data.train(),
        Integer.MAX_VALUE,
        Listeners.runDirectory(dir.resolve("straight"), data.requireTest(), 256));

    Trainer first = new Trainer(new IjepaTask(IJEPA), TRAIN);
    first.fit(
        data.train(), 1, Listeners.runDirectory(dir.resolve("split"), data.requireTest(), 256));
    Checkpoint saved = Checkpoint.read(dir.resolve("split").resolve(Trainer.CHECKPOINT));
    assertEquals(Tasks.IJEPA, saved.kind());
    assertEquals(first.task().ema().keySet(), saved.ema().keySet());
    Trainer resumed = Trainer.resume(new IjepaTask(IJEPA), TRAIN, saved);
    resumed.fit(
        data.train(),
        Integer.MAX_VALUE,
        Listeners.runDirectory(dir.resolve("split"), data.requireTest(), 256));

    assertEquals(straight.step(), resumed.step());
    Checkpoint expected = straight.checkpoint();
    Checkpoint actual = resumed.checkpoint();
    for (String name : expected.params().keySet()) {
      assertArrayEquals(
          expected.params().get(name).data(), actual.params().get(name).data(), 0f, name);
    }
    for (String name : expected.ema().keySet()) {
      assertArrayEquals(expected.ema().get(name).data(), actual.ema().get(name).data(), 0f, name);
    }
    // The checkpoint restores the target encoder, not a fresh copy of the context encoder.
    Trainer restored =
        Tasks.restore(Checkpoint.read(dir.resolve("split").resolve(Trainer.CHECKPOINT)));
    for (String name : expected.ema().keySet()) {
      assertArrayEquals(
          expected.ema().get(name).data(),
          restored.task().ema().get(name).dup('c').data().asFloat(),
          0f,
          name);
    }
  }

  @Test
  void aCheckpointWithoutTargetEncoderIsRefused(@TempDir Path dir) throws IOException {
    Trainer trainer = new Trainer(new IjepaTask(IJEPA), TRAIN);
    Checkpoint c = trainer.checkpoint();
    Checkpoint stripped =
        new Checkpoint(
            c.kind(),
            c.modelJson(),
            c.train(),
            c.progress(),
            c.params(),
            c.adamM(),
            c.adamV(),
            Map.of(),
            Map.of());
    CheckpointException e =
        assertThrows(
            CheckpointException.class, () -> Trainer.resume(new IjepaTask(IJEPA), TRAIN, stripped));
    assertTrue(e.getMessage().contains("encoder/"), e.getMessage());
  }

  @Test
  void evaluationDoesNotDependOnBatchSize() {
    Trainer trainer = new Trainer(new IjepaTask(IJEPA), TRAIN);
    double a = trainer.evaluate(data.requireTest(), 7);
    double b = trainer.evaluate(data.requireTest(), 20);
    assertEquals(a, b, 1e-6);
    assertTrue(a > 0);
  }

  @Test
  void withAFrozenTargetTrainingLowersTheLoss() {
    IjepaConfig frozen = IJEPA.toBuilder().emaStart(1).emaEnd(1).build();
    Trainer trainer = new Trainer(new IjepaTask(frozen), TRAIN.withEpochs(1));
    var feeds = trainer.task().feeds(Batch.read(data.train(), Task.range(0, 8), 1));
    trainer.planSteps(31);
    double before = trainer.trainStep(feeds, 3e-3);
    double after = before;
    for (int i = 0; i < 30; i++) after = trainer.trainStep(feeds, 3e-3);
    assertTrue(after < 0.7 * before, "loss " + before + " -> " + after);
  }

  @Test
  void microBatchesGiveTheFullBatchGradient() {
    TrainerTest.assertMicroBatchesGiveTheFullBatchGradient(() -> new IjepaTask(IJEPA));
  }

  @Test
  void feedsHideEverythingButTheContextAndMarkEachTargetBlock() {
    IjepaTask task = new IjepaTask(IJEPA);
    new Trainer(task, TRAIN);
    Map<String, INDArray> feeds = task.feeds(Batch.read(data.train(), Task.range(0, 4), 9));
    INDArray hidden = feeds.get(TensorNames.CONTEXT_MASK);
    INDArray targets = feeds.get(Names.TARGET_MASKS);
    assertArrayEquals(new long[] {4, 16}, hidden.shape());
    assertArrayEquals(new long[] {4, 4, 16}, targets.shape());
    assertArrayEquals(new long[] {4, 16, 16}, feeds.get(Names.TARGET_TOKENS).shape());
    for (int b = 0; b < 4; b++) {
      for (int j = 0; j < 4; j++) {
        for (int p = 0; p < 16; p++) {
          if (targets.getDouble(b, j, p) == 1) {
            assertEquals(1.0, hidden.getDouble(b, p), "target patch in the context");
          }
        }
      }
      assertTrue(hidden.getRow(b).sumNumber().doubleValue() < 16, "empty context");
    }
  }

  /** A loop a user writes: the momentum moves from emaStart to emaEnd over the planned steps. */
  @Test
  void handWrittenLoopFollowsTheEmaSchedule() {
    Trainer trainer = new Trainer(new IjepaTask(IJEPA), TRAIN);
    IjepaTask task = (IjepaTask) trainer.task();
    IllegalStateException unplanned =
        assertThrows(
            IllegalStateException.class,
            () ->
                trainer.trainStep(task.feeds(Batch.read(data.train(), Task.range(0, 8), 1)), 1e-3));
    assertTrue(unplanned.getMessage().contains("planSteps"), unplanned.getMessage());
    int steps = 5;
    trainer.planSteps(steps);
    String name = task.ema().keySet().iterator().next();
    for (int k = 1; k <= steps; k++) {
      INDArray target = task.ema().get(name).dup();
      trainer.trainStep(data.train(), Task.range(8 * (k - 1), 8 * k));
      double m =
          IJEPA.emaStart() + (k - 1) / (double) (steps - 1) * (IJEPA.emaEnd() - IJEPA.emaStart());
      assertEquals(m, task.momentumAt(k, steps), 1e-12, "momentum at step " + k);
      INDArray expected = target.mul(m).add(trainer.params().get(name).mul(1 - m));
      assertTrue(expected.equalsWithEps(task.ema().get(name), 1e-6), "EMA at step " + k);
    }
    assertEquals(steps, trainer.step());
  }
}
