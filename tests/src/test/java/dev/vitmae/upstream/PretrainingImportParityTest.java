package dev.vitmae.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitmae.contract.TensorNames;
import dev.vitmae.export.CheckpointExporter;
import dev.vitmae.graph.config.IjepaConfig;
import dev.vitmae.graph.config.MaeConfig;
import dev.vitmae.graph.config.PosEmbedding;
import dev.vitmae.graph.model.Ijepa;
import dev.vitmae.graph.model.Mae;
import dev.vitmae.graph.model.Names;
import dev.vitmae.graph.pretrained.PretrainedCheckpoint;
import dev.vitmae.graph.pretrained.Source;
import dev.vitmae.graph.pretrained.WeightMapping;
import dev.vitmae.graph.train.Checkpoint;
import dev.vitmae.runtime.ModelOptions;
import dev.vitmae.runtime.VitModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Whole published pre-training models imported by vitmae compute what the upstream code computes on
 * the same images and masks: facebookresearch/mae's {@code MaskedAutoencoderViT} and Hugging Face's
 * {@code ViTMAEForPreTraining} (encoder output on the kept patches, the decoder's {@code pred}, the
 * loss with and without {@code norm_pix_loss}) and facebookresearch/ijepa's encoder, predictor and
 * target encoder (context tokens, predictions, loss), from {@code .pth} and {@code .safetensors},
 * within 1e-5 relative of {@link UpstreamFixture}'s outputs, in SameDiff and in the exported {@code
 * mae.onnx} / {@code predictor.onnx} on ONNX Runtime.
 */
class PretrainingImportParityTest {
  static final double TOLERANCE = 1e-5;
  static final int BATCH = 2;

  static Stream<Arguments> maes() {
    return Stream.of(UpstreamFixture.MAE, UpstreamFixture.HF_VIT_MAE)
        .flatMap(f -> Stream.of(Arguments.of(f, "pth"), Arguments.of(f, "safetensors")));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("maes")
  void importedMaeReconstructsAsUpstream(UpstreamFixture fixture, String format, @TempDir Path dir)
      throws Exception {
    Source source = fixture == UpstreamFixture.MAE ? Source.MAE : Source.HF;
    PretrainedCheckpoint.MaeResult result =
        PretrainedCheckpoint.readMae(
            weights(fixture, format), source, WeightMapping.Options.defaults().withHeads(4), 2);
    MaeConfig m = result.imported().config();
    assertEquals(16, m.decoderDim());
    assertEquals(2, m.decoderDepth());
    assertEquals(2, m.decoderHeads());
    assertEquals(64, m.decoderMlpDim());
    assertEquals(PosEmbedding.SINCOS, m.decoderPosEmbedding());
    assertTrue(m.hasClassToken());
    assertEquals(0.75, m.maskingRatio());
    Checkpoint ckpt = result.checkpoint();
    assertEquals("mae", ckpt.kind());

    UpstreamOutputs up = fixture.expected();
    INDArray images = Nd4j.create(up.floats("images"), new long[] {BATCH, 3, 32, 32});
    int n = m.encoder().numPatches();
    INDArray keep = Nd4j.createFromArray(up.indices("ids_keep")).reshape(BATCH, n - m.numMasked());
    INDArray mask = Nd4j.create(up.floats("mask"), new long[] {BATCH, n});

    // The training graph: the encoder on the kept patches in ids_keep order, as forward_encoder.
    for (boolean normPix : new boolean[] {false, true}) {
      MaeConfig mm = m.toBuilder().normPixelLoss(normPix).build();
      SameDiff train = loaded(Mae.buildVisibleOnly(mm, DataType.FLOAT, 0), ckpt.params());
      Map<String, INDArray> out =
          train.output(
              Map.of(TensorNames.IMAGES, images, Names.VISIBLE_INDEX, keep.castTo(DataType.INT)),
              Mae.ENCODED,
              Names.PREDICTED_PATCHES,
              Names.LOSS);
      String what = fixture.fileName() + " " + format + " SameDiff, norm_pix_loss " + normPix;
      if (!normPix) {
        check(up, what, "latent", out.get(Mae.ENCODED).data().asFloat());
        check(up, what, "pred", out.get(Names.PREDICTED_PATCHES).data().asFloat());
      }
      check(
          up,
          what,
          normPix ? "loss_norm_pix" : "loss",
          new float[] {out.get(Names.LOSS).getFloat(0)});
    }

    // The serving graph (key masking, any mask): the same predictions and loss.
    SameDiff serve = CheckpointExporter.inferenceGraph(ckpt, "mae");
    Map<String, INDArray> served =
        serve.output(
            Map.of(TensorNames.IMAGES, images, TensorNames.MASK, mask),
            Names.PREDICTED_PATCHES,
            Names.LOSS);
    String what = fixture.fileName() + " " + format + " key-masking SameDiff";
    check(up, what, "pred", served.get(Names.PREDICTED_PATCHES).data().asFloat());
    check(up, what, "loss", new float[] {served.get(Names.LOSS).getFloat(0)});

    // mae.onnx on ONNX Runtime: the reconstruction is the prediction at the masked patches.
    CheckpointExporter.export(ckpt, dir, List.of("mae"), 17);
    try (VitModel onnx = VitModel.open(dir.resolve("mae.onnx"), ModelOptions.defaults())) {
      float[] recon = onnx.mae().reconstruct(up.floats("images"), up.floats("mask"), BATCH);
      float[] want = up.floats("pred");
      float[] got = patchesAt(recon, want, up.floats("mask"), n, 8);
      check(up, fixture.fileName() + " " + format + " mae.onnx (masked patches)", "pred", got);
    }
  }

  /** A Hugging Face {@code config.json} beside the weights gives the heads, ratio and loss. */
  @org.junit.jupiter.api.Test
  void huggingFacesConfigJsonGivesWhatTheWeightsDoNot(@TempDir Path dir) throws Exception {
    Path weights =
        Files.copy(UpstreamFixture.HF_VIT_MAE.safetensors(), dir.resolve("model.safetensors"));
    Files.writeString(
        dir.resolve("config.json"),
        "{\"model_type\": \"vit_mae\", \"num_attention_heads\": 4,"
            + " \"decoder_num_attention_heads\": 2, \"layer_norm_eps\": 1e-12,"
            + " \"mask_ratio\": 0.75, \"norm_pix_loss\": true}");
    PretrainedCheckpoint.MaeResult result =
        PretrainedCheckpoint.readMae(weights, Source.HF, WeightMapping.Options.defaults(), null);
    MaeConfig m = result.imported().config();
    assertEquals(4, m.encoder().heads());
    assertEquals(2, m.decoderHeads());
    assertTrue(m.normPixelLoss());
    assertEquals(1e-12, m.encoder().layerNormEps());
    UpstreamOutputs up = UpstreamFixture.HF_VIT_MAE.expected();
    SameDiff train =
        loaded(Mae.buildVisibleOnly(m, DataType.FLOAT, 0), result.checkpoint().params());
    INDArray keep = Nd4j.createFromArray(up.indices("ids_keep")).reshape(BATCH, 4);
    INDArray loss =
        train
            .output(
                Map.of(
                    TensorNames.IMAGES,
                    Nd4j.create(up.floats("images"), new long[] {BATCH, 3, 32, 32}),
                    Names.VISIBLE_INDEX,
                    keep.castTo(DataType.INT)),
                Names.LOSS)
            .get(Names.LOSS);
    check(up, "hf_vit_mae with config.json", "loss_norm_pix", new float[] {loss.getFloat(0)});
  }

  /**
   * With ImageNet's normalization folded in, the imported MAE takes [0, 1] pixels and predicts
   * them: on {@code x = upstream·s + m} its encoder output is upstream's and its prediction is
   * upstream's {@code pred·s_c + m_c}.
   */
  @org.junit.jupiter.api.Test
  void foldedNormalizationTakesAndPredictsRawPixels() throws Exception {
    float[] mean = WeightMapping.Options.IMAGENET_MEAN;
    float[] std = WeightMapping.Options.IMAGENET_STD;
    PretrainedCheckpoint.MaeResult result =
        PretrainedCheckpoint.readMae(
            UpstreamFixture.MAE.pth(),
            Source.MAE,
            WeightMapping.Options.defaults().withHeads(4).withInputNormalization(mean, std),
            2);
    UpstreamOutputs up = UpstreamFixture.MAE.expected();
    float[] normalized = up.floats("images");
    float[] raw = new float[normalized.length];
    for (int i = 0; i < raw.length; i++) {
      int c = (i / (32 * 32)) % 3;
      raw[i] = normalized[i] * std[c] + mean[c];
    }
    float[] upPred = up.floats("pred");
    float[] wantPred = new float[upPred.length];
    for (int i = 0; i < upPred.length; i++) wantPred[i] = upPred[i] * std[i % 3] + mean[i % 3];
    MaeConfig m = result.imported().config();
    SameDiff train =
        loaded(Mae.buildVisibleOnly(m, DataType.FLOAT, 0), result.checkpoint().params());
    INDArray keep = Nd4j.createFromArray(up.indices("ids_keep")).reshape(BATCH, 4);
    Map<String, INDArray> out =
        train.output(
            Map.of(
                TensorNames.IMAGES,
                Nd4j.create(raw, new long[] {BATCH, 3, 32, 32}),
                Names.VISIBLE_INDEX,
                keep.castTo(DataType.INT)),
            Mae.ENCODED,
            Names.PREDICTED_PATCHES);
    check(up, "mae, normalization folded", "latent", out.get(Mae.ENCODED).data().asFloat());
    float[] got = out.get(Names.PREDICTED_PATCHES).data().asFloat();
    checkPart("mae, normalization folded, pred·s + m", wantPred, got, wantPred);
  }

  @ParameterizedTest(name = "ijepa {0}")
  @ValueSource(strings = {"pth", "safetensors"})
  void importedIjepaPredictsAsUpstream(String format, @TempDir Path dir) throws Exception {
    UpstreamFixture fixture = UpstreamFixture.IJEPA;
    PretrainedCheckpoint.IjepaResult result =
        PretrainedCheckpoint.readIjepa(
            weights(fixture, format), WeightMapping.Options.defaults().withHeads(4), 2);
    IjepaConfig m = result.imported().config();
    assertEquals(16, m.predictorDim());
    assertEquals(2, m.predictorDepth());
    assertEquals(64, m.predictorMlpDim());
    assertEquals(PosEmbedding.SINCOS, m.predictorPosEmbedding());
    Checkpoint ckpt = result.checkpoint();
    assertEquals("ijepa", ckpt.kind());
    assertTrue(!ckpt.ema().isEmpty(), "the target encoder is the EMA");

    UpstreamOutputs up = fixture.expected();
    int n = m.encoder().numPatches();
    int dim = m.encoder().dim();
    int blocks = 4;
    float[] imagesFlat = up.floats("images");
    INDArray images = Nd4j.create(imagesFlat, new long[] {BATCH, 3, 32, 32});
    int[] context = up.indices("masks_enc.0");
    int perContext = context.length / BATCH;
    float[] contextMask = new float[BATCH * n]; // 1 = not in the context
    java.util.Arrays.fill(contextMask, 1f);
    for (int b = 0; b < BATCH; b++) {
      for (int k = 0; k < perContext; k++) contextMask[b * n + context[b * perContext + k]] = 0f;
    }
    float[][] targetMask = new float[blocks][BATCH * n];
    int[][] targets = new int[blocks][];
    for (int j = 0; j < blocks; j++) {
      targets[j] = up.indices("masks_pred." + j);
      int per = targets[j].length / BATCH;
      for (int b = 0; b < BATCH; b++) {
        for (int k = 0; k < per; k++) targetMask[j][b * n + targets[j][b * per + k]] = 1f;
      }
    }
    String what = "ijepa " + format;

    // The context encoder's tokens at the context patches, in masks_enc order.
    SameDiff predictor = CheckpointExporter.inferenceGraph(ckpt, "predictor");
    float[] upPredictions = up.floats("predictions");
    int perTarget = targets[0].length / BATCH;
    for (int j = 0; j < blocks; j++) {
      Map<String, INDArray> out =
          predictor.output(
              Map.of(
                  TensorNames.IMAGES,
                  images,
                  TensorNames.CONTEXT_MASK,
                  Nd4j.create(contextMask, new long[] {BATCH, n}),
                  TensorNames.TARGET_MASK,
                  Nd4j.create(targetMask[j], new long[] {BATCH, n})),
              TensorNames.PREDICTED_TOKENS,
              Ijepa.CONTEXT);
      if (j == 0) {
        float[] ctx = rows(out.get(Ijepa.CONTEXT).data().asFloat(), context, n, dim);
        check(up, what + " SameDiff", "context", ctx);
      }
      float[] got =
          rows(out.get(TensorNames.PREDICTED_TOKENS).data().asFloat(), targets[j], n, dim);
      float[] want = new float[got.length];
      System.arraycopy(upPredictions, j * got.length, want, 0, got.length);
      checkPart(what + " SameDiff predictions, block " + j, want, got, upPredictions);
    }

    // The training graph's loss, its target tokens from the imported target encoder.
    SameDiff target = CheckpointExporter.inferenceGraph(ckpt, "encoder");
    INDArray targetTokens =
        target
            .output(Map.of(TensorNames.IMAGES, images), TensorNames.TOKENS)
            .get(TensorNames.TOKENS);
    float[] allTargets = new float[BATCH * blocks * n];
    for (int b = 0; b < BATCH; b++) {
      for (int j = 0; j < blocks; j++) {
        System.arraycopy(targetMask[j], b * n, allTargets, (b * blocks + j) * n, n);
      }
    }
    SameDiff train = loaded(Ijepa.build(m, DataType.FLOAT, 0), ckpt.params());
    INDArray loss =
        train
            .output(
                Map.of(
                    TensorNames.IMAGES,
                    images,
                    TensorNames.CONTEXT_MASK,
                    Nd4j.create(contextMask, new long[] {BATCH, n}),
                    Names.TARGET_MASKS,
                    Nd4j.create(allTargets, new long[] {BATCH, blocks, n}),
                    Names.TARGET_TOKENS,
                    targetTokens),
                Names.LOSS)
            .get(Names.LOSS);
    check(up, what + " SameDiff training graph", "loss", new float[] {loss.getFloat(0)});

    // predictor.onnx on ONNX Runtime.
    CheckpointExporter.export(ckpt, dir, List.of("predictor"), 17);
    try (VitModel onnx = VitModel.open(dir.resolve("predictor.onnx"), ModelOptions.defaults())) {
      for (int j = 0; j < blocks; j++) {
        float[] pred =
            onnx.predictor().predictTargets(imagesFlat, contextMask, targetMask[j], BATCH);
        float[] got = rows(pred, targets[j], n, dim);
        float[] want = new float[got.length];
        System.arraycopy(upPredictions, j * got.length, want, 0, got.length);
        checkPart(what + " predictor.onnx, block " + j, want, got, upPredictions);
      }
    }
    assertEquals(perTarget * BATCH * dim * blocks, upPredictions.length);
  }

  private static Path weights(UpstreamFixture f, String format) {
    return format.equals("pth") ? f.pth() : f.safetensors();
  }

  /** {@code sd} with every trainable variable set from {@code params}. */
  static SameDiff loaded(SameDiff sd, Map<String, Checkpoint.Tensor> params) {
    for (SDVariable v : sd.variables()) {
      if (v.getVariableType() != VariableType.VARIABLE) continue;
      Checkpoint.Tensor t = params.get(v.name());
      assertNotNull(t, "the checkpoint has no " + v.name());
      v.getArr().assign(Nd4j.create(t.data(), t.shape()));
    }
    return sd;
  }

  /** Rows {@code index[b·k + i]} of {@code tokens [B, n, dim]}, as {@code [B, k, dim]}. */
  static float[] rows(float[] tokens, int[] index, int n, int dim) {
    int k = index.length / BATCH;
    float[] out = new float[index.length * dim];
    for (int b = 0; b < BATCH; b++) {
      for (int i = 0; i < k; i++) {
        System.arraycopy(tokens, (b * n + index[b * k + i]) * dim, out, (b * k + i) * dim, dim);
      }
    }
    return out;
  }

  /**
   * The patches of images {@code [B, 3, 32, 32]} in MAE's {@code patchify} order {@code (p, q, c)},
   * {@code [B, n, p²·3]}, with {@code fill}'s values where {@code mask} is 0 (visible): the
   * reconstruction's predicted patches.
   */
  static float[] patchesAt(float[] images, float[] fill, float[] mask, int n, int p) {
    int grid = (int) Math.sqrt(n);
    int side = grid * p;
    int pd = p * p * 3;
    float[] out = fill.clone();
    for (int b = 0; b < BATCH; b++) {
      for (int h = 0; h < grid; h++) {
        for (int w = 0; w < grid; w++) {
          int patch = h * grid + w;
          if (mask[b * n + patch] == 0f) continue;
          for (int i = 0; i < p; i++) {
            for (int j = 0; j < p; j++) {
              for (int c = 0; c < 3; c++) {
                out[(b * n + patch) * pd + (i * p + j) * 3 + c] =
                    images[((b * 3 + c) * side + h * p + i) * side + w * p + j];
              }
            }
          }
        }
      }
    }
    return out;
  }

  private static void check(UpstreamOutputs up, String what, String name, float[] got) {
    System.out.printf(
        "upstream parity %-60s %-14s relative error %.3g%n",
        what, name, up.relativeError(name, got));
    up.assertMatches(name, got, TOLERANCE);
  }

  /** A part of an upstream output, relative to the whole output's largest value. */
  private static void checkPart(String what, float[] want, float[] got, float[] whole) {
    double scale = 0;
    for (float v : whole) scale = Math.max(scale, Math.abs(v));
    double worst = 0;
    for (int i = 0; i < want.length; i++)
      worst = Math.max(worst, Math.abs((double) got[i] - want[i]));
    System.out.printf("upstream parity %-60s relative error %.3g%n", what, worst / scale);
    assertTrue(worst / scale <= TOLERANCE, what + ": relative error " + worst / scale);
  }
}
