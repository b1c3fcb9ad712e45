package dev.vitmae.graph.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitmae.contract.TensorNames;
import dev.vitmae.datasets.ImageSource;
import dev.vitmae.datasets.SyntheticDigits;
import dev.vitmae.graph.config.RecordJson;
import dev.vitmae.graph.config.TrainConfig;
import dev.vitmae.graph.config.ViTConfig;
import dev.vitmae.graph.model.Names;
import dev.vitmae.graph.model.VitClassifier;
import dev.vitmae.graph.nn.DropPath;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Stochastic depth ({@link TrainConfig#dropPath()}, {@link DropPath}): the masks' rates, the
 * graph's per-example scaling, evaluation without it, the record. That the ORT step computes the
 * same gradients as SameDiff with it is {@code OrtEngineTest}'s.
 */
class DropPathTest {
  static final ViTConfig VIT = FineTuningTest.VIT;
  static final int BRANCHES = DropPath.BRANCHES_PER_BLOCK * VIT.depth();

  @Test
  void eachBlockDropsAtItsRateAndKeptBranchesAreScaledUp() {
    int depth = 4;
    int rows = 40_000;
    float[] keep = DropPath.keep(rows, depth, 0.3, 7);
    assertArrayEquals(keep, DropPath.keep(rows, depth, 0.3, 7), "a pure function of the seed");
    assertFalse(java.util.Arrays.equals(keep, DropPath.keep(rows, depth, 0.3, 8)));
    int columns = 2 * depth;
    for (int j = 0; j < columns; j++) {
      double rate = 0.3 * (j / 2) / (depth - 1);
      float kept = (float) (1 / (1 - rate));
      int dropped = 0;
      double sum = 0;
      for (int b = 0; b < rows; b++) {
        float v = keep[b * columns + j];
        assertTrue(v == 0 || v == kept, "column " + j + ": 0 or 1/(1 - rate), got " + v);
        if (v == 0) dropped++;
        sum += v;
      }
      // Binomial: 4 standard deviations of the observed rate at 40,000 rows is at most 0.01.
      assertEquals(rate, (double) dropped / rows, 0.01, "column " + j + "'s drop rate");
      assertEquals(1, sum / rows, 0.02, "column " + j + " keeps its expectation");
    }
    assertEquals(0.0, DropPath.rate(0.3, 0, 4), "the first block is never dropped");
    assertEquals(0.3, DropPath.rate(0.3, 3, 4), 1e-15, "the last block at the full rate");
    assertThrows(IllegalArgumentException.class, () -> DropPath.keep(1, 2, 1, 0));
  }

  @Test
  void theGraphScalesEachExamplesBranchesByItsOwnRow() {
    SameDiff plain = VitClassifier.build(VIT, DataType.FLOAT, 3);
    SameDiff dropped = VitClassifier.build(VIT, DataType.FLOAT, 3, true);
    ImageSource data = SyntheticDigits.generate("s", 4, 1);
    INDArray images = Task.images(data, Task.range(0, 4));
    INDArray expected = logits(plain, images, null);

    INDArray ones = Nd4j.ones(DataType.FLOAT, 4, BRANCHES);
    assertEquals(0, maxDiff(expected, logits(dropped, images, ones)), 1e-6, "all kept: plain");

    // Example 1 drops block 1's attention branch and doubles block 0's feed-forward one.
    INDArray keep = ones.dup();
    keep.putScalar(1, 2, 0);
    keep.putScalar(1, 1, 2);
    INDArray out = logits(dropped, images, keep);
    for (int b : new int[] {0, 2, 3}) {
      assertEquals(0, maxDiff(expected.getRow(b), out.getRow(b)), 1e-6, "example " + b + " kept");
    }
    assertTrue(maxDiff(expected.getRow(1), out.getRow(1)) > 1e-3, "example 1 changed");
    // Alone, example 1 with its row gives the same logits: rows are independent (micro-batches).
    INDArray alone =
        logits(
            dropped,
            images.get(NDArrayIndex.interval(1, 2)).dup(),
            keep.getRow(1).reshape(1, BRANCHES));
    assertEquals(0, maxDiff(out.getRow(1), alone.getRow(0)), 1e-5);
  }

  @Test
  void evaluationKeepsEveryBranch() throws Exception {
    ImageSource data = SyntheticDigits.generate("s", 24, 1);
    TrainConfig train = FineTuningTest.TRAIN.toBuilder().dropPath(0.5).build();
    try (Trainer t = new Trainer(new VitTask(VIT), train);
        Trainer plain = new Trainer(new VitTask(VIT), FineTuningTest.TRAIN)) {
      assertEquals(0.5, ((VitTask) t.task()).dropPath(), "the trainer trains the task with it");
      assertTrue(t.graph().hasVariable(Names.DROP_PATH));
      t.fit(data);
      plain.params().forEach((name, p) -> p.assign(t.params().get(name)));
      plain.task().paramsSet(plain.params());
      assertEquals(plain.evaluate(data, 8), t.evaluate(data, 8), 1e-12, "the same network");
    }
  }

  @Test
  void aTaskWithoutBranchesToDropRefusesIt() throws Exception {
    TrainConfig train = FineTuningTest.TRAIN.toBuilder().dropPath(0.1).build();
    var e =
        assertThrows(
            IllegalArgumentException.class, () -> new Trainer(new MaeTask(TrainerTest.MAE), train));
    assertTrue(e.getMessage().contains("drop path 0.1 is stochastic depth"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> FineTuningTest.TRAIN.toBuilder().dropPath(1).build());
  }

  @Test
  void aResumedRunDropsAsTheSavedOneDidAndOldCheckpointsReadZero(@TempDir Path tmp)
      throws Exception {
    TrainConfig train = FineTuningTest.TRAIN.toBuilder().dropPath(0.2).build();
    Path file = tmp.resolve("checkpoint.zip");
    try (Trainer t = new Trainer(new VitTask(VIT), train)) {
      t.checkpoint().write(file);
    }
    Checkpoint read = Checkpoint.read(file);
    assertEquals(0.2, read.train().dropPath());
    try (Trainer resumed = Trainer.resume(new VitTask(VIT), read.train(), read)) {
      assertEquals(0.2, ((VitTask) resumed.task()).dropPath());
    }
    String json = RecordJson.write(train).replace(",\"dropPath\":0.2", "");
    assertFalse(json.contains("dropPath"), json);
    assertEquals(0, RecordJson.read(TrainConfig.class, json).dropPath(), "written before");
  }

  private static INDArray logits(SameDiff sd, INDArray images, INDArray keep) {
    Map<String, INDArray> feeds = new HashMap<>();
    feeds.put(TensorNames.IMAGES, images);
    if (keep != null) feeds.put(Names.DROP_PATH, keep);
    return sd.output(feeds, TensorNames.LOGITS).get(TensorNames.LOGITS);
  }

  private static double maxDiff(INDArray a, INDArray b) {
    return a.sub(b).amaxNumber().doubleValue();
  }
}
