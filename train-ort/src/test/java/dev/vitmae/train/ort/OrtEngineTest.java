package dev.vitmae.train.ort;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitmae.datasets.ImageDataset;
import dev.vitmae.datasets.SyntheticDigits;
import dev.vitmae.graph.Tiny;
import dev.vitmae.graph.config.IjepaConfig;
import dev.vitmae.graph.config.MaeConfig;
import dev.vitmae.graph.config.TrainConfig;
import dev.vitmae.graph.config.ViTConfig;
import dev.vitmae.graph.train.Checkpoint;
import dev.vitmae.graph.train.IjepaTask;
import dev.vitmae.graph.train.LayerDecay;
import dev.vitmae.graph.train.MaeTask;
import dev.vitmae.graph.train.SameDiffEngine;
import dev.vitmae.graph.train.Task;
import dev.vitmae.graph.train.Trainer;
import dev.vitmae.graph.train.VitTask;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The ONNX Runtime engine against the SameDiff engine: the same steps from the same seed give the
 * same losses and parameters within a float32 tolerance; resume on the ORT engine is bit-exact; a
 * checkpoint written on one engine continues on the other.
 */
class OrtEngineTest {
  /** Relative tolerance per tensor after a few steps: max |Δ| / max(max |samediff|, 1e-3). */
  static final double TOLERANCE = 1e-3;

  static final ImageDataset DATA = SyntheticDigits.generate("synthetic", 48, 5);

  static final TrainConfig TRAIN =
      TrainConfig.builder()
          .epochs(2)
          .batchSize(16)
          .lr(1e-3)
          .weightDecay(0.05)
          .microBatchSize(0)
          .seed(11)
          .build();

  static final MaeConfig MAE = Tiny.maeForSteps();

  static final ViTConfig VIT = Tiny.vit();

  static final IjepaConfig IJEPA = Tiny.ijepa();

  @Test
  void maeTrainsLikeSameDiff() throws Exception {
    sameRun(new MaeTask(MAE));
  }

  @Test
  void vitTrainsLikeSameDiff() throws Exception {
    sameRun(new VitTask(VIT));
  }

  @Test
  void ijepaTrainsLikeSameDiff() throws Exception {
    sameRun(new IjepaTask(IJEPA));
  }

  /**
   * Stochastic depth: the same fed masks drop the same branches on both engines, whole batches and
   * in micro-batches of 6 (each chunk with its examples' rows).
   */
  @Test
  void vitWithDropPathTrainsLikeSameDiff() throws Exception {
    TrainConfig dropPath = TRAIN.toBuilder().dropPath(0.5).build();
    sameRun(new VitTask(VIT), dropPath);
    sameRun(new VitTask(VIT), dropPath.toBuilder().microBatchSize(6).build());
  }

  private static void sameRun(Task task) throws Exception {
    sameRun(task, TRAIN);
  }

  private static void sameRun(Task task, TrainConfig train) throws Exception {
    try (Trainer reference = new Trainer(task, train);
        Trainer ort = new Trainer(copy(task), train).engine(OrtEngine.factory())) {
      reference.fit(DATA);
      ort.fit(DATA);
      assertEquals(SameDiffEngine.NAME, reference.checkpoint().progress().engine());
      assertEquals(OrtEngine.NAME, ort.checkpoint().progress().engine());
      assertEquals(reference.step(), ort.step());
      assertClose(task.kind(), reference.params(), ort.params());
      assertClose(task.kind() + " ema", task.ema(), ort.task().ema());
    }
  }

  /**
   * Micro-batches of 6 (chunks 6, 6, 4 of a batch of 16): for every task within the tolerance of
   * the ORT engine's whole batch (the weighted mean of the chunks' gradients is the batch's), and
   * for the ViT against the SameDiff engine's micro-batches (the same rule, the same Adam).
   */
  @Test
  void microBatchesTrainLikeTheWholeBatchAndLikeSameDiffs() throws Exception {
    TrainConfig micro = TRAIN.toBuilder().microBatchSize(6).build();
    for (java.util.function.Supplier<Task> task :
        List.<java.util.function.Supplier<Task>>of(
            () -> new MaeTask(MAE), () -> new VitTask(VIT), () -> new IjepaTask(IJEPA))) {
      try (Trainer ort = new Trainer(task.get(), micro).engine(OrtEngine.factory());
          Trainer whole = new Trainer(task.get(), TRAIN).engine(OrtEngine.factory())) {
        ort.fit(DATA);
        whole.fit(DATA);
        String kind = ort.task().kind();
        assertTrue(ort.engineDescription().contains("micro-batches of 6"), ort.engineDescription());
        assertEquals(whole.step(), ort.step(), kind);
        assertClose(kind + ", micro-batches vs whole", whole.params(), ort.params());
        if (ort.task() instanceof VitTask) {
          try (Trainer reference = new Trainer(task.get(), micro)) {
            reference.fit(DATA);
            assertClose(kind + ", micro-batches vs samediff's", reference.params(), ort.params());
          }
        }
      }
    }
  }

  @Test
  void layerDecayAndFrozenEncoderTrainLikeSameDiff() throws Exception {
    for (boolean freeze : new boolean[] {false, true}) {
      try (Trainer reference = new Trainer(new VitTask(VIT), TRAIN);
          Trainer ort = new Trainer(new VitTask(VIT), TRAIN).engine(OrtEngine.factory())) {
        Map<String, Double> scales =
            LayerDecay.scales(List.copyOf(reference.params().keySet()), VIT.depth(), 0.75, freeze);
        reference.lrScales(scales);
        ort.lrScales(scales);
        Map<String, INDArray> before = new java.util.LinkedHashMap<>();
        reference.params().forEach((k, v) -> before.put(k, v.dup()));
        reference.fit(DATA);
        ort.fit(DATA);
        assertClose("vit, layer decay, frozen " + freeze, reference.params(), ort.params());
        for (var e : scales.entrySet()) {
          if (e.getValue() == 0) {
            assertArrayEquals(
                before.get(e.getKey()).data().asFloat(),
                ort.params().get(e.getKey()).dup().data().asFloat(),
                e.getKey() + " is frozen");
          }
        }
      }
    }
  }

  /** A fresh task of the same kind and config (tasks with state, I-JEPA's target, are per run). */
  private static Task copy(Task task) {
    if (task instanceof IjepaTask) return new IjepaTask(IJEPA);
    return task;
  }

  /**
   * I-JEPA too: its target encoder's forward pass runs on ONNX Runtime as well; and the MAE in
   * micro-batches (Adam outside the graph).
   */
  @Test
  void resumeOnOrtIsBitExact() throws Exception {
    TrainConfig micro = TRAIN.toBuilder().microBatchSize(6).build();
    record Case(java.util.function.Supplier<Task> task, TrainConfig config) {}
    for (Case c :
        List.of(
            new Case(() -> new MaeTask(MAE), TRAIN),
            new Case(() -> new IjepaTask(IJEPA), TRAIN),
            new Case(() -> new MaeTask(MAE), micro))) {
      java.util.function.Supplier<Task> task = c.task();
      TrainConfig config = c.config();
      try (Trainer whole = new Trainer(task.get(), config).engine(OrtEngine.factory())) {
        whole.fit(DATA);
        Checkpoint half;
        try (Trainer first = new Trainer(task.get(), config).engine(OrtEngine.factory())) {
          first.fit(DATA, 1, java.util.List.of());
          half = first.checkpoint();
        }
        try (Trainer second =
            Trainer.resume(task.get(), config, half).engine(OrtEngine.factory())) {
          second.fit(DATA);
          String kind = whole.task().kind();
          assertEquals(whole.step(), second.step(), kind);
          Checkpoint a = whole.checkpoint();
          Checkpoint b = second.checkpoint();
          for (var e : a.params().entrySet()) {
            assertArrayEquals(e.getValue().data(), b.params().get(e.getKey()).data(), e.getKey());
          }
          for (String n : a.adamM().keySet()) {
            assertArrayEquals(a.adamM().get(n).data(), b.adamM().get(n).data(), kind + " " + n);
            assertArrayEquals(a.adamV().get(n).data(), b.adamV().get(n).data(), kind + " " + n);
          }
          for (var e : a.ema().entrySet()) {
            assertArrayEquals(e.getValue().data(), b.ema().get(e.getKey()).data(), e.getKey());
          }
        }
      }
    }
  }

  @Test
  void aCheckpointCrossesEngines() throws Exception {
    try (Trainer reference = new Trainer(new VitTask(VIT), TRAIN)) {
      reference.fit(DATA);
      Checkpoint half;
      try (Trainer first = new Trainer(new VitTask(VIT), TRAIN)) {
        first.fit(DATA, 1, java.util.List.of());
        half = first.checkpoint();
      }
      assertEquals(SameDiffEngine.NAME, half.progress().engine());
      try (Trainer second =
          Trainer.resume(new VitTask(VIT), TRAIN, half).engine(OrtEngine.factory())) {
        second.fit(DATA);
        assertClose("samediff → ort", reference.params(), second.params());
        // ... and back: the ORT checkpoint continues on SameDiff.
        Checkpoint ortHalf = second.checkpoint();
        assertEquals(OrtEngine.NAME, ortHalf.progress().engine());
        try (Trainer back =
            Trainer.resume(new VitTask(VIT), TRAIN.toBuilder().epochs(3).build(), ortHalf)) {
          back.fit(DATA);
          assertEquals(reference.step() * 3 / 2, back.step());
        }
      }
    }
  }

  static void assertClose(
      String what, Map<String, INDArray> expected, Map<String, INDArray> actual) {
    assertEquals(expected.keySet(), actual.keySet(), what);
    for (var e : expected.entrySet()) {
      INDArray x = e.getValue().castTo(DataType.DOUBLE);
      INDArray y = actual.get(e.getKey()).castTo(DataType.DOUBLE);
      double scale = Math.max(x.amaxNumber().doubleValue(), 1e-3);
      double diff = x.sub(y).amaxNumber().doubleValue();
      assertTrue(
          diff / scale <= TOLERANCE,
          what + " " + e.getKey() + ": max |Δ| " + diff + ", relative " + diff / scale);
    }
  }
}
