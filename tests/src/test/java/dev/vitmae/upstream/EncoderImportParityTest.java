package dev.vitmae.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitmae.contract.TensorNames;
import dev.vitmae.export.CheckpointExporter;
import dev.vitmae.graph.config.ClassToken;
import dev.vitmae.graph.config.Pooling;
import dev.vitmae.graph.config.PosEmbedding;
import dev.vitmae.graph.config.ViTConfig;
import dev.vitmae.graph.pretrained.PretrainedCheckpoint;
import dev.vitmae.graph.pretrained.Source;
import dev.vitmae.graph.pretrained.WeightMapping;
import dev.vitmae.graph.train.Checkpoint;
import dev.vitmae.runtime.Embeddings;
import dev.vitmae.runtime.ModelOptions;
import dev.vitmae.runtime.VitModel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Published encoders imported by vitmae compute what the upstream code computes: each fixture's
 * weights ({@code .pth} and {@code .safetensors}) are mapped by {@link WeightMapping}, and the
 * encoder's patch tokens, its pooled embedding and (timm with a head) the logits match the upstream
 * forward of {@code UpstreamFixture} within 1e-5 relative, in SameDiff and in the exported ONNX
 * served by ONNX Runtime.
 */
class EncoderImportParityTest {
  static final double TOLERANCE = 1e-5;

  /** The fixture, how to read it, and the architecture the shapes must give. */
  record Case(
      UpstreamFixture fixture, Source source, WeightMapping.Options options, ViTConfig want) {
    @Override
    public String toString() {
      return fixture.fileName();
    }
  }

  static ViTConfig.Builder timm(int patch) {
    return ViTConfig.timm(32, patch, 32, 2, 4).toBuilder();
  }

  static List<Arguments> cases() {
    WeightMapping.Options four = WeightMapping.Options.defaults().withHeads(4);
    List<Case> cases =
        List.of(
            new Case(UpstreamFixture.TIMM_VIT_TOKEN, Source.TIMM, four, timm(8).build()),
            new Case(
                UpstreamFixture.TIMM_VIT_AVG,
                Source.TIMM,
                four,
                timm(8).pool(Pooling.MEAN_FC_NORM).build()),
            new Case(UpstreamFixture.TIMM_VIT_MAE, Source.TIMM, four, timm(8).build()),
            new Case(
                UpstreamFixture.TIMM_VIT_GAP_IJEPA,
                Source.TIMM,
                four,
                timm(8).classToken(ClassToken.NONE).pool(Pooling.MEAN).build()),
            new Case(
                UpstreamFixture.MAE,
                Source.MAE,
                four,
                timm(8).posEmbedding(PosEmbedding.SINCOS).pool(Pooling.MEAN).build()),
            new Case(
                UpstreamFixture.IJEPA,
                Source.IJEPA,
                four.withContextEncoder(true),
                timm(4)
                    .classToken(ClassToken.NONE)
                    .posEmbedding(PosEmbedding.SINCOS)
                    .pool(Pooling.MEAN)
                    .build()),
            new Case(UpstreamFixture.HF_VIT, Source.HF, four, timm(8).layerNormEps(1e-12).build()));
    return cases.stream()
        .flatMap(
            c -> java.util.stream.Stream.of(Arguments.of(c, "pth"), Arguments.of(c, "safetensors")))
        .toList();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void importedEncoderMatchesTheUpstreamForward(Case c, String format, @TempDir Path dir)
      throws Exception {
    Path weights = format.equals("pth") ? c.fixture.pth() : c.fixture.safetensors();
    PretrainedCheckpoint.Result result = PretrainedCheckpoint.read(weights, c.source, c.options);
    Checkpoint ckpt = result.checkpoint();
    // The architecture read from the shapes (the head's classes aside).
    ViTConfig got = result.imported().config();
    assertEquals(c.want.toBuilder().numClasses(got.numClasses()).build(), got);

    UpstreamOutputs up = c.fixture.expected();
    float[] images = up.floats("images");
    int batch = 2;
    int n = got.numPatches();
    int dim = got.dim();
    // Upstream tokens are [B, (1 +) n, dim]: vitmae's tokens are the patches'.
    long[] upShape = up.shape("tokens");
    int offset = (int) upShape[1] - n;
    float[] upTokens = up.floats("tokens");
    float[] wantTokens = new float[batch * n * dim];
    float[] wantPooled = new float[batch * dim];
    for (int b = 0; b < batch; b++) {
      System.arraycopy(
          upTokens, (b * (n + offset) + offset) * dim, wantTokens, b * n * dim, n * dim);
    }
    String pooledName;
    if (c.fixture == UpstreamFixture.HF_VIT) {
      // HF's pooler_output is a dense + tanh head; vitmae's embedding is the class token.
      for (int b = 0; b < batch; b++) {
        System.arraycopy(upTokens, b * (n + 1) * dim, wantPooled, b * dim, dim);
      }
      pooledName = "tokens[:, 0]";
    } else if (up.names().contains("pooled")) {
      wantPooled = up.floats("pooled");
      pooledName = "pooled";
    } else {
      // MAE and I-JEPA: the mean of the patch tokens (vitmae's embedding of their encoders).
      for (int b = 0; b < batch; b++) {
        for (int i = 0; i < n; i++) {
          for (int d = 0; d < dim; d++)
            wantPooled[b * dim + d] += wantTokens[(b * n + i) * dim + d] / n;
        }
      }
      pooledName = "mean of tokens";
    }

    // SameDiff.
    SameDiff encoder = CheckpointExporter.inferenceGraph(ckpt, "encoder");
    INDArray x = Nd4j.create(images, new long[] {batch, 3, 32, 32});
    Map<String, INDArray> out =
        encoder.output(Map.of(TensorNames.IMAGES, x), TensorNames.TOKENS, TensorNames.EMBEDDING);
    assertClose(c + " SameDiff tokens", wantTokens, out.get(TensorNames.TOKENS).data().asFloat());
    assertClose(
        c + " SameDiff " + pooledName, wantPooled, out.get(TensorNames.EMBEDDING).data().asFloat());

    // The exported ONNX on ONNX Runtime.
    CheckpointExporter.export(ckpt, dir, List.of("encoder", "classifier"), 17);
    try (VitModel onnx = VitModel.open(dir.resolve("encoder.onnx"), ModelOptions.defaults())) {
      Embeddings e = onnx.encoder().embed(images, batch);
      assertClose(c + " ONNX tokens", wantTokens, e.tokens());
      assertClose(c + " ONNX " + pooledName, wantPooled, e.pooled());
    }
    if (up.names().contains("logits")) {
      SameDiff classifier = CheckpointExporter.inferenceGraph(ckpt, "classifier");
      float[] logits =
          classifier
              .output(Map.of(TensorNames.IMAGES, x), TensorNames.LOGITS)
              .get(TensorNames.LOGITS)
              .data()
              .asFloat();
      up.assertMatches("logits", logits, TOLERANCE);
      try (VitModel onnx = VitModel.open(dir.resolve("classifier.onnx"), ModelOptions.defaults())) {
        up.assertMatches("logits", onnx.classifier().classify(images, batch), TOLERANCE);
      }
    }
  }

  /**
   * Hugging Face's ViTMAE keeps its fixed sin-cos table as a parameter: recognized, declared SINCOS
   * (not trained); its decoder is listed as not the encoder's.
   */
  @org.junit.jupiter.api.Test
  void huggingFacesVitMaeHasFixedPositionsAndADecoderThatIsNotTheEncoders() throws Exception {
    PretrainedCheckpoint.Result r =
        PretrainedCheckpoint.read(
            UpstreamFixture.HF_VIT_MAE.safetensors(),
            Source.HF,
            WeightMapping.Options.defaults().withHeads(4));
    ViTConfig c = r.imported().config();
    assertEquals(PosEmbedding.SINCOS, c.posEmbedding());
    assertEquals(ClassToken.POSITIONED, c.classToken());
    assertEquals(1e-12, c.layerNormEps());
    assertTrue(
        r.imported().notUsed().stream().anyMatch(n -> n.startsWith("the ViTMAE decoder:")),
        r.imported().notUsed()::toString);
    assertTrue(!r.checkpoint().params().containsKey("encoder/pos"));
  }

  /** Max |Δ| relative to the largest |expected|, as {@link UpstreamOutputs#relativeError}. */
  static void assertClose(String what, float[] want, float[] got) {
    assertEquals(want.length, got.length, what);
    double scale = 0;
    double worst = 0;
    for (int i = 0; i < want.length; i++) {
      scale = Math.max(scale, Math.abs(want[i]));
      worst = Math.max(worst, Math.abs((double) got[i] - want[i]));
    }
    double error = worst / scale;
    System.out.printf("upstream parity %-40s relative error %.3g%n", what, error);
    assertTrue(error <= TOLERANCE, what + ": relative error " + error);
  }
}
