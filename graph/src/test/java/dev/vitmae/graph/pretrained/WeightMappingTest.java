package dev.vitmae.graph.pretrained;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitmae.graph.config.ClassToken;
import dev.vitmae.graph.config.Pooling;
import dev.vitmae.graph.config.PosEmbedding;
import dev.vitmae.graph.config.ViTConfig;
import dev.vitmae.graph.nn.Positions;
import dev.vitmae.graph.train.Checkpoint;
import dev.vitmae.weights.StateDict;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link WeightMapping}: the architecture read from shapes, the layouts converted, and every
 * missing, misshapen or unexpected tensor named.
 */
class WeightMappingTest {
  static final WeightMapping.Options TWO_HEADS = WeightMapping.Options.defaults().withHeads(2);
  @TempDir Path dir;

  private WeightMapping.Imported map(TinyWeights w, Source source, WeightMapping.Options o)
      throws IOException {
    try (StateDict d = StateDict.read(w.write(dir.resolve("w.safetensors")))) {
      return WeightMapping.map(d, source, o);
    }
  }

  private WeightMappingException refused(TinyWeights w, WeightMapping.Options o) {
    return assertThrows(WeightMappingException.class, () -> map(w, Source.TIMM, o));
  }

  @Test
  void readsTheArchitectureFromTheShapesAndConvertsTheLayouts() throws IOException {
    TinyWeights w = TinyWeights.timm(16, 8, 3, 16, 2, 5);
    WeightMapping.Imported m = map(w, Source.TIMM, TWO_HEADS);
    ViTConfig want = ViTConfig.timm(16, 8, 16, 2, 2).toBuilder().numClasses(5).build();
    assertEquals(want, m.config());
    assertEquals(w.shapes.keySet(), new java.util.HashSet<>(m.used()));
    assertTrue(
        m.notes().stream().anyMatch(n -> n.startsWith("heads: 2 (given)")), m.notes()::toString);

    // Conv2d [dim, C, p, p] to [(p1 p2 c), dim]: row (i·p + j)·C + c, column d.
    float[] conv = w.values.get("patch_embed.proj.weight");
    Checkpoint.Tensor proj = m.params().get("encoder/patch_embed/proj/W");
    assertArrayEquals(new long[] {8 * 8 * 3, 16}, proj.shape());
    int d = 5, c = 2, i = 3, j = 7;
    assertEquals(conv[((d * 3 + c) * 8 + i) * 8 + j], proj.data()[((i * 8 + j) * 3 + c) * 16 + d]);
    // torch's Linear [out, in] to vitmae's [in, out].
    float[] qkv = w.values.get("blocks.1.attn.qkv.weight");
    Checkpoint.Tensor t = m.params().get("encoder/transformer/block1/attn/qkv/W");
    assertArrayEquals(new long[] {16, 48}, t.shape());
    assertEquals(qkv[40 * 16 + 3], t.data()[3 * 48 + 40]);
    assertArrayEquals(w.values.get("head.bias"), m.params().get("head/b").data());
    assertArrayEquals(new long[] {5, 16}, m.params().get("encoder/pos").shape());
  }

  @Test
  void anInputNormalizationIsFoldedIntoThePatchEmbedding() throws IOException {
    TinyWeights w = TinyWeights.timm(16, 8, 3, 16, 1, 0);
    WeightMapping.Imported plain = map(w, Source.TIMM, TWO_HEADS);
    float[] mean = WeightMapping.Options.IMAGENET_MEAN;
    float[] std = WeightMapping.Options.IMAGENET_STD;
    WeightMapping.Imported folded =
        map(w, Source.TIMM, TWO_HEADS.withInputNormalization(mean, std));
    // One patch x in [0, 1] (p1 p2 c order): folded(x) = plain((x - mean) / std).
    java.util.SplittableRandom rng = new java.util.SplittableRandom(1);
    int rows = 8 * 8 * 3;
    float[] pw = plain.params().get("encoder/patch_embed/proj/W").data();
    float[] pb = plain.params().get("encoder/patch_embed/proj/b").data();
    float[] fw = folded.params().get("encoder/patch_embed/proj/W").data();
    float[] fb = folded.params().get("encoder/patch_embed/proj/b").data();
    double[] x = new double[rows];
    for (int r = 0; r < rows; r++) x[r] = rng.nextDouble();
    for (int d = 0; d < 16; d++) {
      double want = pb[d];
      double got = fb[d];
      for (int r = 0; r < rows; r++) {
        want += pw[r * 16 + d] * (x[r] - mean[r % 3]) / std[r % 3];
        got += fw[r * 16 + d] * x[r];
      }
      assertEquals(want, got, 1e-4, "output " + d);
    }
    assertTrue(
        folded.notes().stream().anyMatch(n -> n.contains("folded into the patch embedding")));
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> TWO_HEADS.withInputNormalization(mean, new float[] {1, 0, 1}));
    assertTrue(e.getMessage().contains("input std must be > 0"), e.getMessage());
  }

  @Test
  void headsAreInferredOnlyForThePublishedWidths() throws IOException {
    var e = refused(TinyWeights.timm(16, 8, 3, 16, 1, 0), WeightMapping.Options.defaults());
    assertTrue(e.getMessage().contains("give the heads"), e.getMessage());
    WeightMapping.Imported m =
        map(TinyWeights.timm(16, 8, 3, 192, 1, 0), Source.TIMM, WeightMapping.Options.defaults());
    assertEquals(3, m.config().heads());
    assertTrue(m.notes().stream().anyMatch(n -> n.contains("published ViTs' for dim 192")));
  }

  @Test
  void missingUnexpectedAndMisshapenTensorsAreNamed() {
    TinyWeights w =
        TinyWeights.timm(16, 8, 3, 16, 2, 0)
            .remove("blocks.1.mlp.fc2.bias")
            .put("blocks.0.ls1.gamma", 16)
            .put("blocks.0.attn.proj.weight", 16, 17);
    var e = refused(w, TWO_HEADS);
    assertEquals(java.util.List.of("blocks.1.mlp.fc2.bias"), e.missing());
    assertEquals(java.util.List.of("blocks.0.ls1.gamma"), e.unexpected());
    assertEquals(
        java.util.List.of("blocks.0.attn.proj.weight has shape [16, 17], expected [16, 16]"),
        e.misshapen());
    for (String name :
        new String[] {"blocks.1.mlp.fc2.bias", "blocks.0.ls1.gamma", "blocks.0.attn.proj.weight"}) {
      assertTrue(e.getMessage().contains(name), e.getMessage());
    }
    // Not strict: a wrong shape is still an error.
    var loose = refused(w, TWO_HEADS.withStrict(false));
    assertTrue(loose.getMessage().contains("blocks.0.attn.proj.weight has shape [16, 17]"));
    assertTrue(loose.missing().contains("blocks.1.mlp.fc2.bias"));
    assertFalse(loose.getMessage().contains("missing:"), loose.getMessage());
  }

  @Test
  void notStrictSkipsAndListsWhatItSkipped() throws IOException {
    TinyWeights w =
        TinyWeights.timm(16, 8, 3, 16, 2, 0)
            .remove("blocks.1.mlp.fc2.bias")
            .put("blocks.0.ls1.gamma", 16);
    WeightMapping.Imported m = map(w, Source.TIMM, TWO_HEADS.withStrict(false));
    assertEquals(java.util.List.of("blocks.0.ls1.gamma"), m.skipped());
    assertEquals(java.util.List.of("blocks.1.mlp.fc2.bias"), m.missing());
    assertFalse(m.params().containsKey("encoder/transformer/block1/ff/fc2/b"));
    // The checkpoint keeps a fresh initialization there, and says so.
    Checkpoint ckpt = PretrainedCheckpoint.of(m, dir.resolve("w.safetensors"), Source.TIMM);
    assertArrayEquals(
        new long[] {16}, ckpt.params().get("encoder/transformer/block1/ff/fc2/b").shape());
    assertEquals("blocks.1.mlp.fc2.bias", ckpt.info().get("vitmae.import.initialized"));
    assertEquals("blocks.0.ls1.gamma", ckpt.info().get("vitmae.import.skipped"));
  }

  @Test
  void nestedCheckpointsAndTheirOtherPartsAreAccountedFor() throws IOException {
    TinyWeights w = TinyWeights.timm(16, 8, 3, 16, 1, 0).prefixed("model.module.");
    w.put("optimizer.state.0.exp_avg", 4).put("decoder_embed.weight", 8, 16);
    WeightMapping.Imported m = map(w, Source.MAE, TWO_HEADS);
    assertTrue(
        m.notUsed().contains("'optimizer' (outside 'model.'): 1 tensors"), m.notUsed()::toString);
    // An MAE checkpoint's decoder is not the encoder's, and not an error.
    WeightMapping.Imported flat =
        map(
            TinyWeights.timm(16, 8, 3, 16, 1, 0)
                .put("decoder_pred.weight", 8, 16)
                .put("mask_token", 1, 1, 16),
            Source.MAE,
            TWO_HEADS);
    assertEquals(java.util.List.of("the MAE decoder: 2 tensors"), flat.notUsed());
    assertEquals(Pooling.MEAN, flat.config().pool());
  }

  @Test
  void ijepaNamesTheEncoderItCannotFind() {
    TinyWeights w = TinyWeights.timm(16, 8, 3, 16, 1, 0).prefixed("encoder.module.");
    var e = assertThrows(WeightMappingException.class, () -> map(w, Source.IJEPA, TWO_HEADS));
    assertTrue(e.getMessage().contains("no I-JEPA 'target_encoder'"), e.getMessage());
    assertTrue(e.getMessage().contains("[encoder]"), e.getMessage());
  }

  @Test
  void anotherImageSizeResamplesLearnedPositionsAndRecomputesSinCos() throws IOException {
    TinyWeights w = TinyWeights.timm(16, 8, 3, 16, 1, 0);
    WeightMapping.Imported m = map(w, Source.TIMM, TWO_HEADS.withImageSize(32));
    assertEquals(32, m.config().imageSize());
    float[] want = PositionTables.resample(w.values.get("pos_embed"), 1, 2, 4, 16, true);
    assertArrayEquals(want, m.params().get("encoder/pos").data());
    assertArrayEquals(new long[] {17, 16}, m.params().get("encoder/pos").shape());

    // MAE's fixed table: recognized, declared SINCOS, not a parameter; recomputed for 4x4.
    double[] sincos = Positions.table(2, 16, true);
    float[] table = new float[sincos.length];
    for (int i = 0; i < table.length; i++) table[i] = (float) sincos[i];
    w.put("pos_embed", table, 1, 5, 16);
    WeightMapping.Imported mae = map(w, Source.MAE, TWO_HEADS.withImageSize(32));
    assertEquals(PosEmbedding.SINCOS, mae.config().posEmbedding());
    assertEquals(ClassToken.POSITIONED, mae.config().classToken());
    assertFalse(mae.params().containsKey("encoder/pos"));
    var e = refused(w, TWO_HEADS.withImageSize(20));
    assertTrue(e.getMessage().contains("image size 20 is not a whole number of patches of 8"));
  }

  @Test
  void huggingFacesSeparateQueryKeyValueAreStacked() throws IOException {
    int dim = 16;
    TinyWeights w = new TinyWeights();
    w.put("vit.embeddings.cls_token", 1, 1, dim);
    w.put("vit.embeddings.position_embeddings", 1, 5, dim);
    w.put("vit.embeddings.patch_embeddings.projection.weight", dim, 3, 8, 8);
    w.put("vit.embeddings.patch_embeddings.projection.bias", dim);
    String b = "vit.encoder.layer.0.";
    for (String ln : new String[] {"layernorm_before", "layernorm_after"}) {
      w.put(b + ln + ".weight", dim).put(b + ln + ".bias", dim);
    }
    for (String p : new String[] {"query", "key", "value"}) {
      w.put(b + "attention.attention." + p + ".weight", dim, dim);
      w.put(b + "attention.attention." + p + ".bias", dim);
    }
    w.put(b + "attention.output.dense.weight", dim, dim)
        .put(b + "attention.output.dense.bias", dim);
    w.put(b + "intermediate.dense.weight", 4 * dim, dim)
        .put(b + "intermediate.dense.bias", 4 * dim);
    w.put(b + "output.dense.weight", dim, 4 * dim).put(b + "output.dense.bias", dim);
    w.put("vit.layernorm.weight", dim).put("vit.layernorm.bias", dim);
    w.put("classifier.weight", 3, dim).put("classifier.bias", 3);
    WeightMapping.Imported m = map(w, Source.HF, TWO_HEADS);
    assertEquals(1e-12, m.config().layerNormEps());
    assertEquals(3, m.config().numClasses());
    Checkpoint.Tensor qkv = m.params().get("encoder/transformer/block0/attn/qkv/W");
    assertArrayEquals(new long[] {dim, 3 * dim}, qkv.shape());
    // Column 16 + 4 is key row 4: W_key[4, 7] at [7, 20].
    assertEquals(
        w.values.get(b + "attention.attention.key.weight")[4 * dim + 7], qkv.data()[7 * 48 + 20]);
    float[] bias = m.params().get("encoder/transformer/block0/attn/qkv/b").data();
    assertEquals(w.values.get(b + "attention.attention.value.bias")[2], bias[34]);
  }
}
