package dev.vitmae.graph.pretrained;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitmae.graph.config.IjepaConfig;
import dev.vitmae.graph.config.MaeConfig;
import dev.vitmae.graph.config.PosEmbedding;
import dev.vitmae.graph.model.Mae;
import dev.vitmae.graph.nn.Positions;
import dev.vitmae.graph.train.Checkpoint;
import dev.vitmae.weights.StateDict;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link WeightMapping#mapMae} and {@link WeightMapping#mapIjepa}: the decoder's and predictor's
 * sizes from the shapes, their tensors onto {@code mae/...} and {@code predictor/...}, and every
 * missing, misshapen or unexplained one named.
 */
class DecoderMappingTest {
  static final WeightMapping.Options TWO_HEADS = WeightMapping.Options.defaults().withHeads(2);
  @TempDir Path dir;

  /**
   * A timm-style stack after the encoder (an MAE decoder, an I-JEPA predictor) added to {@code w}.
   */
  static TinyWeights stack(
      TinyWeights w,
      String[] names,
      String blocks,
      int in,
      int width,
      int depth,
      int out,
      int rows) {
    w.put(names[0] + ".weight", width, in).put(names[0] + ".bias", width);
    w.put(names[1], 1, 1, width);
    w.put(names[2], 1, rows, width);
    for (int i = 0; i < depth; i++) {
      String b = blocks + i + ".";
      w.put(b + "norm1.weight", width).put(b + "norm1.bias", width);
      w.put(b + "attn.qkv.weight", 3 * width, width).put(b + "attn.qkv.bias", 3 * width);
      w.put(b + "attn.proj.weight", width, width).put(b + "attn.proj.bias", width);
      w.put(b + "norm2.weight", width).put(b + "norm2.bias", width);
      w.put(b + "mlp.fc1.weight", 4 * width, width).put(b + "mlp.fc1.bias", 4 * width);
      w.put(b + "mlp.fc2.weight", width, 4 * width).put(b + "mlp.fc2.bias", width);
    }
    w.put(names[3] + ".weight", width).put(names[3] + ".bias", width);
    return w.put(names[4] + ".weight", out, width).put(names[4] + ".bias", out);
  }

  static final String[] MAE = {
    "decoder_embed", "mask_token", "decoder_pos_embed", "decoder_norm", "decoder_pred"
  };
  static final String[] IJEPA = {
    "predictor_embed", "mask_token", "predictor_pos_embed", "predictor_norm", "predictor_proj"
  };

  /** facebookresearch/mae's names: 16 px in patches of 8 (4 patches), dim 16, decoder 8. */
  static TinyWeights mae() {
    return stack(TinyWeights.timm(16, 8, 3, 16, 1, 0), MAE, "decoder_blocks.", 16, 8, 2, 192, 5);
  }

  private StateDict read(TinyWeights w) throws IOException {
    return StateDict.read(w.write(dir.resolve("w" + System.nanoTime() + ".safetensors")));
  }

  @Test
  void maesDecoderMapsOntoVitmaesNames() throws IOException {
    TinyWeights w = mae();
    WeightMapping.ImportedMae m;
    try (StateDict d = read(w)) {
      m = WeightMapping.mapMae(d, Source.MAE, TWO_HEADS, 2);
    }
    MaeConfig c = m.config();
    assertEquals(8, c.decoderDim());
    assertEquals(2, c.decoderDepth());
    assertEquals(2, c.decoderHeads());
    assertEquals(4, c.decoderDimHead());
    assertEquals(32, c.decoderMlpDim());
    assertEquals(PosEmbedding.LEARNED, c.decoderPosEmbedding(), "random rows are learned");
    assertTrue(c.hasClassToken());
    assertEquals(w.shapes.keySet(), new java.util.HashSet<>(m.imported().used()));
    assertEquals(List.of(), m.imported().notUsed());
    // Linear [out, in] to [in, out]; the mask token as a vector; the table with its class row.
    Checkpoint.Tensor pred = m.imported().params().get("mae/to_pixels/W");
    assertArrayEquals(new long[] {8, 192}, pred.shape());
    assertEquals(w.values.get("decoder_pred.weight")[100 * 8 + 3], pred.data()[3 * 192 + 100]);
    assertArrayEquals(new long[] {8}, m.imported().params().get("mae/mask_token").shape());
    assertArrayEquals(
        w.values.get("decoder_pos_embed"), m.imported().params().get(Mae.DECODER_POSITIONS).data());
    assertArrayEquals(
        w.values.get("decoder_blocks.1.attn.qkv.bias"),
        m.imported().params().get("mae/decoder/block1/attn/qkv/b").data());
    assertArrayEquals(
        w.values.get("decoder_norm.weight"),
        m.imported().params().get("mae/decoder/norm/g").data());

    // MAE's fixed table is recognised and left to the graph.
    TinyWeights fixed = mae();
    double[] table = Positions.table(2, 8, true);
    float[] f = new float[table.length];
    for (int i = 0; i < f.length; i++) f[i] = (float) table[i];
    fixed.put("decoder_pos_embed", f, 1, 5, 8);
    try (StateDict d = read(fixed)) {
      WeightMapping.ImportedMae s = WeightMapping.mapMae(d, Source.MAE, TWO_HEADS, 2);
      assertEquals(PosEmbedding.SINCOS, s.config().decoderPosEmbedding());
      assertFalse(s.imported().params().containsKey(Mae.DECODER_POSITIONS));
    }
  }

  @Test
  void aDecoderTensorMissingMisshapenOrUnexplainedIsNamed() throws IOException {
    TinyWeights w =
        mae()
            .remove("decoder_pred.bias")
            .put("decoder_blocks.0.ls1.gamma", 8)
            .put("mask_token", 1, 1, 9);
    try (StateDict d = read(w)) {
      var e =
          assertThrows(
              WeightMappingException.class,
              () -> WeightMapping.mapMae(d, Source.MAE, TWO_HEADS, 2));
      assertEquals(List.of("decoder_pred.bias"), e.missing());
      assertEquals(List.of("decoder_blocks.0.ls1.gamma"), e.unexpected());
      assertEquals(List.of("mask_token has shape [1, 1, 9], expected [1, 1, 8]"), e.misshapen());
    }
    // The decoder's blocks share the encoder's qkv bias.
    try (StateDict d = read(mae().remove("decoder_blocks.0.attn.qkv.bias"))) {
      var e =
          assertThrows(
              WeightMappingException.class,
              () -> WeightMapping.mapMae(d, Source.MAE, TWO_HEADS, 2));
      assertTrue(e.getMessage().contains("has no qkv bias, the encoder has"), e.getMessage());
    }
    // Heads: the published MAEs' 16 where the width allows, else they must be given.
    try (StateDict d = read(mae())) {
      var e =
          assertThrows(
              WeightMappingException.class,
              () -> WeightMapping.mapMae(d, Source.MAE, TWO_HEADS, null));
      assertTrue(e.getMessage().contains("are not in the weights: give them"), e.getMessage());
    }
  }

  @Test
  void ijepasPredictorAndTargetEncoderMapAndLeftoversAreNamed() throws IOException {
    TinyWeights encoder = TinyWeights.timm(16, 8, 3, 16, 1, 0).remove("cls_token");
    encoder.put("pos_embed", 1, 4, 16);
    TinyWeights predictor = stack(new TinyWeights(), IJEPA, "predictor_blocks.", 16, 8, 1, 16, 4);
    TinyWeights all = encoder.prefixed("encoder.module.");
    encoder.prefixed("target_encoder.module.").shapes.forEach((k, s) -> all.put(k, s));
    predictor
        .prefixed("predictor.module.")
        .values
        .forEach((k, v) -> all.put(k, v, predictor.prefixed("predictor.module.").shapes.get(k)));
    WeightMapping.ImportedIjepa m;
    try (StateDict d = read(all)) {
      m = WeightMapping.mapIjepa(d, TWO_HEADS, null);
    }
    IjepaConfig c = m.config();
    assertEquals(8, c.predictorDim());
    assertEquals(1, c.predictorDepth());
    assertEquals(2, c.predictorHeads(), "the encoder's, as ijepa's init_model");
    assertEquals(PosEmbedding.LEARNED, c.predictorPosEmbedding());
    assertTrue(m.imported().params().containsKey("predictor/proj/W"));
    assertTrue(m.imported().used().contains("predictor.predictor_norm.weight"));
    assertTrue(
        m.imported().notUsed().stream().anyMatch(n -> n.startsWith("'target_encoder'")),
        m.imported().notUsed()::toString);
    assertFalse(
        m.imported().notUsed().stream().anyMatch(n -> n.startsWith("'predictor'")),
        m.imported().notUsed()::toString);

    all.remove("predictor.module.predictor_norm.weight").put("predictor.module.extra", 3);
    try (StateDict d = read(all)) {
      var e =
          assertThrows(
              WeightMappingException.class, () -> WeightMapping.mapIjepa(d, TWO_HEADS, null));
      assertEquals(List.of("predictor.predictor_norm.weight"), e.missing());
      assertEquals(List.of("predictor.extra"), e.unexpected());
    }
  }
}
