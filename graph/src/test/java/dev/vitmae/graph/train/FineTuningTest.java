package dev.vitmae.graph.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vitmae.datasets.SyntheticDigits;
import dev.vitmae.graph.config.Pooling;
import dev.vitmae.graph.config.TrainConfig;
import dev.vitmae.graph.config.ViTConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Fine-tuning a pre-trained encoder: layer-wise lr decay and a frozen encoder. */
class FineTuningTest {
  static final ViTConfig VIT =
      ViTConfig.builder()
          .dim(16)
          .depth(2)
          .heads(2)
          .dimHead(8)
          .mlpDim(16)
          .pool(Pooling.MEAN)
          .build();
  static final TrainConfig TRAIN =
      TrainConfig.builder().epochs(1).batchSize(8).lr(1e-2).microBatchSize(0).build();

  @Test
  void layerDecayGivesEachLayerItsRate() {
    List<String> names =
        List.of(
            "encoder/patch_embed/proj/W",
            "encoder/pos",
            "encoder/cls",
            "encoder/transformer/block0/attn/qkv/W",
            "encoder/transformer/block1/ff/w1/W",
            "encoder/transformer/norm/g",
            "head/W");
    Map<String, Double> s = LayerDecay.scales(names, 2, 0.5, false);
    assertEquals(0.125, s.get("encoder/patch_embed/proj/W"), 1e-15, "layer 0: 0.5^3");
    assertEquals(0.125, s.get("encoder/pos"), 1e-15);
    assertEquals(0.125, s.get("encoder/cls"), 1e-15);
    assertEquals(0.25, s.get("encoder/transformer/block0/attn/qkv/W"), 1e-15, "block 0 is layer 1");
    assertEquals(0.5, s.get("encoder/transformer/block1/ff/w1/W"), 1e-15);
    assertEquals(1.0, s.get("encoder/transformer/norm/g"), 1e-15, "after the blocks: the full lr");
    assertEquals(1.0, s.get("head/W"), 1e-15);
    Map<String, Double> frozen = LayerDecay.scales(names, 2, 0.5, true);
    assertEquals(0.0, frozen.get("encoder/transformer/block1/ff/w1/W"));
    assertEquals(1.0, frozen.get("head/W"));
    assertThrows(IllegalArgumentException.class, () -> LayerDecay.scales(names, 2, 0, false));
  }

  @Test
  void aScaledParameterMovesByItsShareOfTheFirstAdamStep() {
    // Adam's first step moves every weight by lr·sign(g) (up to epsilon): the move is the lr.
    var data = SyntheticDigits.generate("s", 16, 1);
    Trainer a = new Trainer(new VitTask(VIT), TRAIN);
    Trainer b = new Trainer(new VitTask(VIT), TRAIN).lrScales(Map.of("head/W", 0.25));
    INDArray before = a.params().get("head/W").dup();
    a.trainStep(data, Task.range(0, 8));
    b.trainStep(data, Task.range(0, 8));
    double fullMove = a.params().get("head/W").sub(before).amaxNumber().doubleValue();
    double scaledMove = b.params().get("head/W").sub(before).amaxNumber().doubleValue();
    assertEquals(1e-2, fullMove, 1e-4);
    assertEquals(0.25 * 1e-2, scaledMove, 1e-4 * 0.25);
  }

  @Test
  void aFrozenEncoderStaysUnchangedWhileTheHeadTrains() throws Exception {
    var data = SyntheticDigits.generate("s", 16, 1);
    Trainer t = new Trainer(new VitTask(VIT), TRAIN);
    t.lrScales(LayerDecay.scales(List.copyOf(t.params().keySet()), VIT.depth(), 1.0, true));
    Map<String, float[]> before = new java.util.LinkedHashMap<>();
    t.params().forEach((n, a) -> before.put(n, a.dup().data().asFloat()));
    for (int s = 0; s < 3; s++) t.trainStep(data, Task.range(0, 8));
    for (var e : t.params().entrySet()) {
      float[] now = e.getValue().dup().data().asFloat();
      if (e.getKey().startsWith("encoder/")) {
        assertArrayEquals(before.get(e.getKey()), now, 0f, e.getKey() + " is frozen");
      } else {
        assertFalse(java.util.Arrays.equals(before.get(e.getKey()), now), e.getKey() + " trains");
      }
    }
    // A checkpoint of the run resumes although the frozen weights have no Adam moments.
    Trainer resumed = Trainer.resume(new VitTask(VIT), TRAIN, t.checkpoint());
    assertEquals(3, resumed.step());
    assertEquals(t.lrScales(), resumed.lrScales(), "the scales are data of the checkpoint");
  }

  @Test
  void lrScalesSurviveTheFileAndOldFineTuningCheckpointsResumeAtTheirRecordedRates(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
    Trainer t = new Trainer(new VitTask(VIT), TRAIN);
    Map<String, Double> scales =
        LayerDecay.scales(List.copyOf(t.params().keySet()), VIT.depth(), 0.75, false);
    t.lrScales(scales);
    java.nio.file.Path file = tmp.resolve("checkpoint.zip");
    t.checkpoint().write(file);
    assertEquals(scales, Checkpoint.read(file).lrScales());

    // Before checkpoints held scales, the command line recorded its settings as info strings.
    Checkpoint c = t.checkpoint();
    Checkpoint old =
        new Checkpoint(
                c.kind(),
                c.modelJson(),
                c.train(),
                c.progress(),
                c.params(),
                c.adamM(),
                c.adamV(),
                c.ema(),
                Map.of())
            .withInfo(LayerDecay.info(0.75, false));
    old.write(file);
    assertEquals(Map.of(), Checkpoint.read(file).lrScales());
    assertEquals(scales, Trainer.resume(new VitTask(VIT), TRAIN, Checkpoint.read(file)).lrScales());
    Checkpoint plain =
        new Checkpoint(
            c.kind(),
            c.modelJson(),
            c.train(),
            c.progress(),
            c.params(),
            c.adamM(),
            c.adamV(),
            c.ema(),
            Map.of());
    assertEquals(Map.of(), Trainer.resume(new VitTask(VIT), TRAIN, plain).lrScales());
  }
}
