package dev.vitmae.graph.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitmae.contract.TensorNames;
import dev.vitmae.graph.Tiny;
import dev.vitmae.graph.config.ViTConfig;
import dev.vitmae.graph.nn.Layers;
import dev.vitmae.graph.nn.Net;
import dev.vitmae.graph.nn.Transformer;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The serving MAE ({@link Mae#build}, any mask) hides masked tokens as attention keys instead of
 * dropping them (the training graph drops them: {@code MaeTrainingGraphTest}). This checks the
 * claim that this is the same maths: the visible rows of the MAE's encoder output equal an encoder
 * run (same weights, by name) on the visible patches alone, as vit-pytorch's MAE does.
 */
class MaeVisibleOnlyEncoderTest {
  @Test
  void visibleTokensMatchAnEncoderOverVisibleTokensOnly() {
    ViTConfig c = Tiny.vit().toBuilder().mlpDim(24).build();
    SameDiff mae = Mae.build(Tiny.mae(c), DataType.DOUBLE, 4);
    Nd4j.getRandom().setSeed(2);
    INDArray images = Nd4j.rand(DataType.DOUBLE, 1, 1, 28, 28);
    int[] visible = {0, 2, 3, 5, 6, 7, 9, 10, 12, 13, 15, 1};
    INDArray mask = Nd4j.ones(DataType.DOUBLE, 1, 16);
    for (int v : visible) mask.putScalar(0, v, 0);
    INDArray encoded =
        mae.output(Map.of(TensorNames.IMAGES, images, TensorNames.MASK, mask), Mae.ENCODED)
            .get(Mae.ENCODED);

    // Reference: gather the visible patches and their positions, run the encoder on them alone.
    int k = visible.length;
    double[] select = new double[k * 16];
    for (int i = 0; i < k; i++) select[i * 16 + visible[i]] = 1;
    Net net = new Net(SameDiff.create(), DataType.DOUBLE, 0);
    SameDiff ref = net.sd();
    SDVariable allPatches =
        VitEncoder.patches(ref, net.input(TensorNames.IMAGES, -1, 1, 28, 28), c);
    SDVariable gather = net.constant("gather", select, k, 16);
    SDVariable patches =
        ref.reshape(
            ref.mmul(gather, ref.reshape(allPatches, 16, c.patchDim())), 1, k, c.patchDim());
    SDVariable x = Layers.layerNorm(net, "encoder/patch_embed/ln_in", patches, c.patchDim());
    x = Layers.linear(net, "encoder/patch_embed/proj", x, k, c.patchDim(), c.dim(), true);
    x = Layers.layerNorm(net, "encoder/patch_embed/ln_out", x, c.dim());
    x = x.add(ref.mmul(gather, net.normal("encoder/pos", 16, c.dim())));
    SDVariable out =
        Transformer.build(
            net,
            "encoder/transformer",
            x,
            null,
            k,
            new Transformer.Spec(c.dim(), c.depth(), c.heads(), c.dimHead(), c.mlpDim()));
    ref.identity("out", out);
    for (SDVariable v : ref.variables()) {
      if (v.getVariableType() == VariableType.VARIABLE)
        v.getArr().assign(mae.getArrForVarName(v.name()));
    }
    INDArray expected = ref.output(Map.of(TensorNames.IMAGES, images), "out").get("out");

    double worst = 0;
    for (int i = 0; i < k; i++) {
      INDArray row =
          encoded.get(NDArrayIndex.point(0), NDArrayIndex.point(visible[i]), NDArrayIndex.all());
      INDArray want =
          expected.get(NDArrayIndex.point(0), NDArrayIndex.point(i), NDArrayIndex.all());
      worst = Math.max(worst, row.sub(want).amaxNumber().doubleValue());
    }
    assertTrue(
        worst < 1e-12, "max |Δ| between MAE visible rows and visible-only encoder: " + worst);
  }
}
