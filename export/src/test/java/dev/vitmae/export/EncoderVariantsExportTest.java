package dev.vitmae.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.vitmae.contract.TensorNames;
import dev.vitmae.export.onnx.OnnxProto.AttributeProto;
import dev.vitmae.export.onnx.OnnxProto.ModelProto;
import dev.vitmae.export.onnx.OnnxProto.NodeProto;
import dev.vitmae.graph.config.ClassToken;
import dev.vitmae.graph.config.PatchEmbedding;
import dev.vitmae.graph.config.Pooling;
import dev.vitmae.graph.config.PosEmbedding;
import dev.vitmae.graph.config.ViTConfig;
import dev.vitmae.graph.train.Checkpoint;
import dev.vitmae.graph.train.VitTask;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Every encoder variant of {@link ViTConfig} (the published ViTs' patch embedding, qkv bias,
 * LayerNorm epsilon, class token with a position row or none, fixed sin-cos positions, {@code
 * fc_norm} pooling) exports its encoder and classifier, and ONNX Runtime computes what SameDiff
 * computes.
 */
class EncoderVariantsExportTest {
  /** Small shapes of each published scheme: 16×16 RGB in 4×4 patches, dim 16, 2 blocks. */
  enum Variant {
    TIMM(base().build()),
    TIMM_AVG(base().pool(Pooling.MEAN_FC_NORM).build()),
    MAE_ENCODER(base().posEmbedding(PosEmbedding.SINCOS).pool(Pooling.MEAN).build()),
    IJEPA(
        base()
            .posEmbedding(PosEmbedding.SINCOS)
            .classToken(ClassToken.NONE)
            .pool(Pooling.MEAN)
            .build()),
    HUGGING_FACE(base().layerNormEps(1e-12).build()),
    VIT_PYTORCH_WITH_BIAS(
        ViTConfig.reference().toBuilder()
            .dim(16)
            .heads(2)
            .dimHead(8)
            .mlpDim(24)
            .qkvBias(true)
            .build());

    final ViTConfig config;

    Variant(ViTConfig config) {
      this.config = config;
    }

    static ViTConfig.Builder base() {
      return ViTConfig.timm(16, 4, 16, 2, 2).toBuilder().numClasses(5);
    }
  }

  @ParameterizedTest
  @EnumSource(Variant.class)
  void encoderAndClassifierMatchSameDiff(Variant variant, @TempDir Path dir) throws Exception {
    ViTConfig c = variant.config;
    Checkpoint ckpt = CheckpointExporterTest.checkpoint(new VitTask(c));
    // Fixed sin-cos positions are a constant of the graph, not a parameter.
    assertEquals(
        c.posEmbedding() == PosEmbedding.LEARNED, ckpt.params().containsKey("encoder/pos"));
    assertEquals(
        c.patchEmbedding() == PatchEmbedding.NORMED_LINEAR,
        ckpt.params().containsKey("encoder/patch_embed/ln_in/g"));
    assertEquals(c.qkvBias(), ckpt.params().containsKey("encoder/transformer/block0/attn/qkv/b"));
    assertEquals(c.hasClassToken(), ckpt.params().containsKey("encoder/cls"));
    assertEquals(c.pool() == Pooling.MEAN_FC_NORM, ckpt.params().containsKey("encoder/fc_norm/g"));
    assertEquals(
        c.pool() != Pooling.MEAN_FC_NORM, ckpt.params().containsKey("encoder/transformer/norm/g"));
    if (c.posEmbedding() == PosEmbedding.LEARNED) {
      assertEquals(c.numPositions(), ckpt.params().get("encoder/pos").shape()[0]);
    }

    CheckpointExporter.export(ckpt, dir, List.of("encoder", "classifier"), 17);
    Nd4j.getRandom().setSeed(7);
    INDArray images = Nd4j.rand(DataType.FLOAT, 3, c.channels(), c.imageSize(), c.imageSize());
    for (String model : List.of("encoder", "classifier")) {
      ModelProto onnx = OnnxFiles.read(dir.resolve(model + ".onnx"));
      CheckpointExporterTest.assertParity(ckpt, model, onnx, Map.of(TensorNames.IMAGES, images));
      List<NodeProto> norms =
          onnx.getGraph().getNodeList().stream()
              .filter(n -> n.getOpType().equals("LayerNormalization"))
              .toList();
      // Per block two, the final norm or fc_norm one, vit-pytorch's patch embedding two more.
      int expected =
          2 * c.depth() + 1 + (c.patchEmbedding() == PatchEmbedding.NORMED_LINEAR ? 2 : 0);
      assertEquals(expected, norms.size(), variant + " " + model);
      for (NodeProto n : norms) {
        float eps =
            n.getAttributeList().stream()
                .filter(a -> a.getName().equals("epsilon"))
                .map(AttributeProto::getF)
                .findFirst()
                .orElseThrow();
        assertEquals((float) c.layerNormEps(), eps, variant + " " + n.getName());
      }
      assertFalse(
          onnx.getGraph().getInitializerList().stream()
              .anyMatch(t -> t.getName().contains("fc_norm") && c.pool() != Pooling.MEAN_FC_NORM));
    }
  }
}
