package dev.vitmae.graph.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitmae.contract.TensorNames;
import dev.vitmae.datasets.masks.MultiBlockConfig;
import dev.vitmae.graph.FiniteDifferences;
import dev.vitmae.graph.config.IjepaConfig;
import dev.vitmae.graph.config.MaeConfig;
import dev.vitmae.graph.config.Pooling;
import dev.vitmae.graph.config.PosEmbedding;
import dev.vitmae.graph.config.ViTConfig;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Whole-graph gradients of the ViT classifier, the MAE and I-JEPA, against finite differences. */
class ModelGradientTest {
  private static final double TOLERANCE = 1e-5;

  static ViTConfig tiny(Pooling pool, PosEmbedding pos) {
    // A 2×2 grid of 2×2 patches: small enough for finite differences in double precision.
    return ViTConfig.builder()
        .imageSize(4)
        .patchSize(2)
        .dim(8)
        .depth(2)
        .heads(2)
        .dimHead(4)
        .mlpDim(8)
        .numClasses(3)
        .pool(pool)
        .posEmbedding(pos)
        .build();
  }

  private static INDArray images(int batch) {
    Nd4j.getRandom().setSeed(1);
    return Nd4j.rand(DataType.DOUBLE, batch, 1, 4, 4);
  }

  @ParameterizedTest
  @EnumSource(Pooling.class)
  void vitClassifier(Pooling pool) {
    SameDiff sd = VitClassifier.build(tiny(pool, PosEmbedding.LEARNED), DataType.DOUBLE, 3);
    INDArray labels = Nd4j.create(new double[][] {{1, 0, 0}, {0, 0, 1}, {0, 1, 0}});
    assertGradients(sd, Map.of(TensorNames.IMAGES, images(3), Names.LABELS, labels));
  }

  /** timm's variant: Conv2d patch embedding, qkv bias, eps 1e-6, class token with a position. */
  @ParameterizedTest
  @EnumSource(PosEmbedding.class)
  void publishedVariantClassifier(PosEmbedding pos) {
    ViTConfig timm =
        ViTConfig.timm(4, 2, 8, 2, 2).toBuilder()
            .channels(1)
            .mlpDim(8)
            .numClasses(3)
            .posEmbedding(pos)
            .build();
    SameDiff sd = VitClassifier.build(timm, DataType.DOUBLE, 3);
    INDArray labels = Nd4j.create(new double[][] {{1, 0, 0}, {0, 0, 1}, {0, 1, 0}});
    assertGradients(sd, Map.of(TensorNames.IMAGES, images(3), Names.LABELS, labels));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void mae(boolean normPixelLoss) {
    MaeConfig config =
        MaeConfig.builder()
            .encoder(tiny(Pooling.MEAN, PosEmbedding.SINCOS))
            .maskingRatio(0.5)
            .decoderDim(8)
            .decoderDepth(1)
            .decoderHeads(2)
            .decoderDimHead(4)
            .decoderMlpDim(16)
            .normPixelLoss(normPixelLoss)
            .build();
    SameDiff sd = Mae.build(config, DataType.DOUBLE, 5);
    // Different masked patches per sample, as the host-side sampler produces.
    INDArray mask = Nd4j.create(new double[][] {{1, 0, 0, 1}, {0, 1, 1, 0}, {0, 0, 1, 1}});
    assertGradients(sd, Map.of(TensorNames.IMAGES, images(3), TensorNames.MASK, mask));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void ijepaContextEncoderAndPredictor(int blocks) {
    ViTConfig encoder = tiny(Pooling.MEAN, PosEmbedding.LEARNED);
    IjepaConfig config =
        IjepaConfig.builder()
            .encoder(encoder)
            .predictorDim(6)
            .predictorDepth(1)
            .predictorHeads(2)
            .predictorDimHead(4)
            .predictorMlpDim(12)
            .masks(MultiBlockConfig.defaultsFor(2, 2).withNPred(blocks))
            .build();
    SameDiff sd = Ijepa.build(config, DataType.DOUBLE, 7);
    // Ragged contexts (2, 1 and 3 patches), target blocks outside them.
    INDArray hidden = Nd4j.create(new double[][] {{0, 0, 1, 1}, {1, 1, 1, 0}, {0, 1, 0, 0}});
    double[][][] targets = {
      {{0, 0, 1, 0}, {0, 0, 0, 1}}, {{1, 0, 0, 0}, {0, 1, 1, 0}}, {{0, 1, 0, 0}, {0, 1, 0, 0}}
    };
    INDArray targetMasks =
        Nd4j.create(targets)
            .get(NDArrayIndex.all(), NDArrayIndex.interval(0, blocks), NDArrayIndex.all())
            .dup('c');
    // Target tokens large enough that smooth L1 sees both |d| < 1 and |d| > 1.
    Nd4j.getRandom().setSeed(4);
    INDArray targetTokens = Nd4j.randn(DataType.DOUBLE, 3, 4, 8).muli(3);
    assertGradients(
        sd,
        Map.of(
            TensorNames.IMAGES,
            images(3),
            TensorNames.CONTEXT_MASK,
            hidden,
            Names.TARGET_MASKS,
            targetMasks,
            Names.TARGET_TOKENS,
            targetTokens));
  }

  @Test
  void smoothL1IsHuberWithBetaOne() {
    SameDiff sd = SameDiff.create();
    double[] d = {-3, -1.5, -0.5, 0, 0.25, 0.9, 2};
    var x = sd.var("d", Nd4j.create(d));
    INDArray out = Ijepa.smoothL1(sd, x).eval();
    for (int i = 0; i < d.length; i++) {
      double a = Math.abs(d[i]);
      assertEquals(a < 1 ? 0.5 * a * a : a - 0.5, out.getDouble(i), 1e-12, "d = " + d[i]);
    }
  }

  private static void assertGradients(SameDiff sd, Map<String, INDArray> feeds) {
    var probes = FiniteDifferences.check(sd, feeds, Names.LOSS, 12, 9);
    var worst = FiniteDifferences.worst(probes);
    assertTrue(worst.relativeError() < TOLERANCE, "worst " + worst);
    // Every parameter received a gradient, and not all of them are zero.
    Set<String> checked =
        probes.stream().map(FiniteDifferences.Probe::variable).collect(Collectors.toSet());
    assertTrue(checked.size() > 10, "checked " + checked);
    assertTrue(
        probes.stream().filter(p -> Math.abs(p.numeric()) > 1e-6).count() > probes.size() / 2,
        "most probes should have a non-zero gradient");
  }
}
