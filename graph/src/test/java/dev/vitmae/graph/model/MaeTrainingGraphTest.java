package dev.vitmae.graph.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitmae.contract.MaeMask;
import dev.vitmae.contract.TensorNames;
import dev.vitmae.graph.Tiny;
import dev.vitmae.graph.config.ClassToken;
import dev.vitmae.graph.config.MaeConfig;
import dev.vitmae.graph.config.PatchEmbedding;
import dev.vitmae.graph.config.Pooling;
import dev.vitmae.graph.config.PosEmbedding;
import dev.vitmae.graph.config.ViTConfig;
import dev.vitmae.graph.train.GradFunction;
import dev.vitmae.graph.train.MaeTask;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The training MAE (the encoder on the visible tokens only, {@link Mae#buildVisibleOnly}) against
 * the key-masking MAE that {@code mae.onnx} serves ({@link Mae#build}): the same parameters, and
 * for a mask with the training count of masked patches the same loss, predictions, reconstruction
 * and gradients.
 */
class MaeTrainingGraphTest {
  static MaeConfig config(double ratio, boolean normPixelLoss) {
    ViTConfig c = Tiny.vit().toBuilder().mlpDim(24).pool(Pooling.MEAN).build();
    return Tiny.mae(c).toBuilder().maskingRatio(ratio).normPixelLoss(normPixelLoss).build();
  }

  /**
   * facebookresearch/mae's variant: the class token with its position row in encoder and decoder,
   * fixed sin-cos positions in both, timm's patch embedding, qkv bias, epsilon 1e-6.
   */
  static MaeConfig published(double ratio, boolean normPixelLoss) {
    MaeConfig m = config(ratio, normPixelLoss);
    ViTConfig c =
        m.encoder().toBuilder()
            .patchEmbedding(PatchEmbedding.LINEAR)
            .qkvBias(true)
            .layerNormEps(1e-6)
            .classToken(ClassToken.POSITIONED)
            .posEmbedding(PosEmbedding.SINCOS)
            .build();
    return m.toBuilder().encoder(c).decoderPosEmbedding(PosEmbedding.SINCOS).build();
  }

  static INDArray images(int batch) {
    Nd4j.getRandom().setSeed(2);
    return Nd4j.rand(DataType.DOUBLE, batch, 1, 28, 28);
  }

  @ParameterizedTest
  @CsvSource({"false, false", "true, false", "false, true", "true, true"})
  void trainingGraphComputesWhatTheServingGraphComputes(boolean normPixelLoss, boolean mae) {
    MaeTask task = new MaeTask(mae ? published(0.75, normPixelLoss) : config(0.75, normPixelLoss));
    SameDiff train = task.build(DataType.DOUBLE, 4);
    SameDiff serve = Mae.build(task.config(), DataType.DOUBLE, 4);
    List<String> params = params(serve);
    assertEquals(params, params(train), "both graphs have the same parameters");
    for (String p : params) {
      assertEquals(serve.getArrForVarName(p), train.getArrForVarName(p), p + " from the same seed");
    }

    // One seeded draw gives both graphs their masks: indices for training, floats for serving.
    INDArray x = images(3);
    MaeMask mask = task.masks(3, 9);
    Map<String, INDArray> trainFeeds = task.feeds(x, mask);
    Map<String, INDArray> serveFeeds =
        Map.of(TensorNames.IMAGES, x, TensorNames.MASK, task.floatMask(mask));
    String[] outputs = {Names.LOSS, Names.PREDICTED_PATCHES, TensorNames.RECONSTRUCTION};
    Map<String, INDArray> a = train.output(trainFeeds, outputs);
    Map<String, INDArray> b = serve.output(serveFeeds, outputs);
    for (String out : outputs) assertClose(out, b.get(out), a.get(out));

    GradFunction.create(train);
    GradFunction.create(serve);
    Map<String, INDArray> ga = train.calculateGradients(trainFeeds, params);
    Map<String, INDArray> gb = serve.calculateGradients(serveFeeds, params);
    for (String p : params) assertClose("gradient of " + p, gb.get(p), ga.get(p));
  }

  @Test
  void theTrainingEncoderRunsOnTheVisibleTokensOnly() {
    MaeTask task = new MaeTask(config(0.75, false));
    int n = task.config().encoder().numPatches();
    int visible = n - task.config().numMasked();
    assertEquals(4, visible, "16 patches, 75% masked");
    SameDiff train = task.build(DataType.FLOAT, 1);
    INDArray x = images(5).castTo(DataType.FLOAT);
    INDArray encoded = train.output(task.feeds(x, task.masks(5, 3)), Mae.ENCODED).get(Mae.ENCODED);
    assertArrayEquals(new long[] {5, visible, 16}, encoded.shape());
    // The serving graph, for any mask, encodes every token.
    SameDiff serve = Mae.build(task.config(), DataType.FLOAT, 1);
    INDArray all =
        serve
            .output(Map.of(TensorNames.IMAGES, x, TensorNames.MASK, task.mask(5, 3)), Mae.ENCODED)
            .get(Mae.ENCODED);
    assertArrayEquals(new long[] {5, n, 16}, all.shape());
  }

  @Test
  void maesClassTokenIsEncodedFirstAndDecodedWithARowOfItsOwn() {
    MaeTask task = new MaeTask(published(0.75, false));
    int n = task.config().encoder().numPatches();
    SameDiff train = task.build(DataType.FLOAT, 1);
    INDArray x = images(2).castTo(DataType.FLOAT);
    INDArray encoded = train.output(task.feeds(x, task.masks(2, 3)), Mae.ENCODED).get(Mae.ENCODED);
    assertArrayEquals(new long[] {2, 1 + 4, 16}, encoded.shape());
    INDArray decoderPos = train.getArrForVarName(Mae.DECODER_POSITIONS);
    assertArrayEquals(new long[] {1 + n, 32}, decoderPos.shape());
    assertEquals(0.0, decoderPos.getRow(0).amaxNumber().doubleValue(), "the class row of sin-cos");
    assertTrue(
        train.getVariable(Mae.DECODER_POSITIONS).getVariableType() != VariableType.VARIABLE,
        "fixed sin-cos positions are not trained");
  }

  @Test
  void feedsCarryTheSampledVisiblePatches() {
    MaeTask task = new MaeTask(config(0.75, false));
    MaeMask mask = task.masks(4, 17);
    INDArray visible = MaeTask.visibleIndex(mask);
    assertEquals(DataType.INT, visible.dataType());
    assertArrayEquals(new long[] {4, 4}, visible.shape());
    INDArray floats = task.mask(4, 17);
    for (int b = 0; b < 4; b++) {
      for (int k = 0; k < 4; k++) {
        int patch = visible.getInt(b, k);
        assertEquals(mask.visible()[b][k], patch);
        assertEquals(0.0, floats.getDouble(b, patch), "visible patch " + patch + " unmasked");
      }
      assertEquals(12.0, floats.getRow(b).sumNumber().doubleValue(), "12 of 16 masked");
    }
  }

  private static List<String> params(SameDiff sd) {
    List<String> names = new ArrayList<>();
    for (SDVariable v : sd.variables()) {
      if (v.getVariableType() == VariableType.VARIABLE) names.add(v.name());
    }
    names.sort(null);
    return names;
  }

  private static void assertClose(String what, INDArray expected, INDArray actual) {
    assertArrayEquals(expected.shape(), actual.shape(), what);
    double scale = Math.max(expected.amaxNumber().doubleValue(), 1e-6);
    double diff = expected.sub(actual).amaxNumber().doubleValue();
    assertTrue(diff / scale < 1e-10, what + ": max |Δ| " + diff + ", relative " + diff / scale);
  }
}
