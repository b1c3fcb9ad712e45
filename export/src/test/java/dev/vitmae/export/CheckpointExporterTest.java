package dev.vitmae.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitmae.contract.TensorNames;
import dev.vitmae.export.onnx.OnnxProto.ModelProto;
import dev.vitmae.graph.Tiny;
import dev.vitmae.graph.config.IjepaConfig;
import dev.vitmae.graph.config.Pooling;
import dev.vitmae.graph.config.TrainConfig;
import dev.vitmae.graph.config.ViTConfig;
import dev.vitmae.graph.train.Batch;
import dev.vitmae.graph.train.Checkpoint;
import dev.vitmae.graph.train.IjepaTask;
import dev.vitmae.graph.train.MaeTask;
import dev.vitmae.graph.train.Task;
import dev.vitmae.graph.train.Trainer;
import dev.vitmae.graph.train.VitTask;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Checkpoints to ONNX files: they parse back, load in ONNX Runtime and match SameDiff. */
class CheckpointExporterTest {
  static final double TOLERANCE = 1e-5;
  static final ViTConfig VIT = Tiny.vit().toBuilder().mlpDim(24).build();
  static final TrainConfig TRAIN =
      TrainConfig.builder().epochs(1).batchSize(8).lr(1e-3).microBatchSize(0).seed(3).build();

  static Checkpoint checkpoint(Task task) {
    return new Trainer(task, TRAIN).checkpoint();
  }

  static INDArray images(int batch) {
    Nd4j.getRandom().setSeed(batch);
    return Nd4j.rand(DataType.FLOAT, batch, 1, 28, 28);
  }

  @ParameterizedTest
  @ValueSource(ints = {17, 18, 21})
  void maeCheckpointExportsEncoderAndMaeMatchingSameDiff(int opset, @TempDir Path dir)
      throws Exception {
    Checkpoint ckpt = checkpoint(new MaeTask(Tiny.mae(VIT)));
    List<Path> files = CheckpointExporter.export(ckpt, dir, List.of("encoder", "mae"), opset);
    assertEquals(List.of(dir.resolve("encoder.onnx"), dir.resolve("mae.onnx")), files);

    ModelProto encoder = OnnxFiles.read(files.get(0));
    // patch_embed ln_in, ln_out, 2 blocks × (attn, ff), final norm: 7 native LayerNorms.
    assertEquals(
        7,
        encoder.getGraph().getNodeList().stream()
            .filter(n -> n.getOpType().equals("LayerNormalization"))
            .count());
    assertTrue(
        encoder.getGraph().getNodeList().stream()
            .noneMatch(n -> n.getOpType().equals("Reciprocal")));
    assertEquals(opset, encoder.getOpsetImport(0).getVersion());
    assertEquals(OnnxExporter.irVersion(opset), encoder.getIrVersion());
    assertEquals(
        "batch",
        encoder
            .getGraph()
            .getInput(0)
            .getType()
            .getTensorType()
            .getShape()
            .getDim(0)
            .getDimParam());
    INDArray x = images(5);
    assertParity(ckpt, "encoder", encoder, Map.of(TensorNames.IMAGES, x));

    // A different number of masked patches in each sample.
    INDArray mask = Nd4j.zeros(DataType.FLOAT, 5, 16);
    for (int i = 0; i < 5; i++) for (int p = 0; p <= 3 * i; p++) mask.putScalar(i, (p * 7) % 16, 1);
    ModelProto mae = OnnxFiles.read(files.get(1));
    assertParity(ckpt, "mae", mae, Map.of(TensorNames.IMAGES, x, TensorNames.MASK, mask));
  }

  @Test
  void vitCheckpointExportsClassifierAndEncoder(@TempDir Path dir) throws Exception {
    Checkpoint ckpt = checkpoint(new VitTask(VIT));
    CheckpointExporter.export(ckpt, dir, List.of("classifier", "encoder"), 17);
    for (String m : List.of("classifier", "encoder")) {
      assertParity(
          ckpt, m, OnnxFiles.read(dir.resolve(m + ".onnx")), Map.of(TensorNames.IMAGES, images(3)));
    }
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> CheckpointExporter.of(ckpt).opset(17).toOnnx("mae"));
    assertTrue(e.getMessage().contains("provides no 'mae' model"), e.getMessage());
  }

  @Test
  void ijepaCheckpointExportsTheTargetEncoderAndThePredictor(@TempDir Path dir) throws Exception {
    IjepaConfig config = IjepaConfig.of(VIT.withPool(Pooling.MEAN));
    IjepaTask task = new IjepaTask(config);
    Trainer trainer = new Trainer(task, TRAIN);
    // Two steps with momentum 0.996: the target encoder is no longer the context encoder.
    var data = dev.vitmae.datasets.SyntheticDigits.generate("synthetic", 8, 1);
    trainer.planSteps(100);
    for (int s = 0; s < 2; s++)
      trainer.trainStep(task.feeds(Batch.read(data, Task.range(0, 8), s)), 1e-2);
    Checkpoint ckpt = trainer.checkpoint();
    assertTrue(
        ckpt.ema().keySet().stream()
            .anyMatch(
                n ->
                    !java.util.Arrays.equals(
                        ckpt.ema().get(n).data(), ckpt.params().get(n).data())));
    assertEquals(
        dev.vitmae.graph.train.InferenceModel.Weights.EMA,
        CheckpointExporter.of(ckpt).model("encoder").weights());

    List<Path> files = CheckpointExporter.export(ckpt, dir, List.of("encoder", "predictor"), 17);
    INDArray x = images(4);
    ModelProto encoder = OnnxFiles.read(files.get(0));
    assertParity(ckpt, "encoder", encoder, Map.of(TensorNames.IMAGES, x));
    assertEquals("target encoder (EMA)", OnnxFiles.metadata(encoder).get("vitmae.weights"));
    // The exported encoder computes the target tokens the training step regresses onto.
    INDArray served = OrtRunner.run(encoder, Map.of(TensorNames.IMAGES, x)).get(TensorNames.TOKENS);
    INDArray trained =
        task.targetEncoder()
            .output(Map.of(TensorNames.IMAGES, x), TensorNames.TOKENS)
            .get(TensorNames.TOKENS);
    assertTrue(OrtRunner.maxAbsDiff(trained, served) <= TOLERANCE);

    // Ragged contexts, one target block per row, as the sampler draws them.
    INDArray hidden = Nd4j.ones(DataType.FLOAT, 4, 16);
    INDArray target = Nd4j.zeros(DataType.FLOAT, 4, 16);
    for (int b = 0; b < 4; b++) {
      for (int p = 0; p < 16; p++) if ((p + b) % 3 != 0) hidden.putScalar(b, p, 0);
      target.putScalar(b, 3 * b, 1);
      target.putScalar(b, 3 * b + 3, 1);
    }
    ModelProto predictor = OnnxFiles.read(files.get(1));
    assertParity(
        ckpt,
        "predictor",
        predictor,
        Map.of(
            TensorNames.IMAGES,
            x,
            TensorNames.CONTEXT_MASK,
            hidden,
            TensorNames.TARGET_MASK,
            target));
    assertTrue(OnnxFiles.metadata(predictor).get("vitmae.target_mask").contains("1 = target"));
  }

  @Test
  void metadataCarriesTheContract() {
    Checkpoint ckpt = checkpoint(new MaeTask(Tiny.mae(VIT)));
    Map<String, String> meta =
        OnnxFiles.metadata(CheckpointExporter.of(ckpt).opset(17).toOnnx("mae"));
    assertEquals("mae", meta.get("vitmae.model"));
    assertEquals(dev.vitmae.contract.ModelContract.VERSION, meta.get("vitmae.io_contract"));
    assertEquals("7", meta.get("vitmae.patch_size"));
    assertEquals("16", meta.get("vitmae.num_patches"));
    assertEquals("17", meta.get("vitmae.opset"));
    assertEquals(ckpt.modelJson(), meta.get("vitmae.config"));
    assertTrue(meta.get("vitmae.mask").startsWith("float32 [batch, num_patches], 1 = masked"));
    assertEquals(
        "0.25", meta.get("vitmae.masking_ratio"), "the ratio serving masks with, as its own key");
  }

  /** Attention asked for without the encoder among the models: refused, nothing written. */
  @Test
  void attentionWithoutTheEncoderIsRefused(@TempDir Path dir) throws Exception {
    Checkpoint ckpt = checkpoint(new VitTask(VIT));
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> CheckpointExporter.of(ckpt).attention(true).export(dir, List.of("classifier")));
    assertTrue(e.getMessage().contains("add encoder to the models"), e.getMessage());
    try (var files = Files.list(dir)) {
      assertEquals(0, files.count());
    }
  }

  /**
   * {@code attention} on request only; ONNX Runtime's equals SameDiff's within {@link #TOLERANCE};
   * and it is the last block's probabilities averaged over the heads, recomputed here from the
   * SameDiff graph's {@code probs} variable: the class token's row over the patches, else the mean
   * over the queries.
   */
  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void encoderExportsTheLastBlocksAttentionOnRequest(boolean classToken) throws Exception {
    ViTConfig c = classToken ? VIT : VIT.withPool(Pooling.MEAN);
    assertEquals(classToken, c.hasClassToken());
    Checkpoint ckpt = checkpoint(new VitTask(c));
    ModelProto plain = CheckpointExporter.of(ckpt).toOnnx("encoder");
    assertEquals(
        List.of(TensorNames.TOKENS, TensorNames.EMBEDDING),
        plain.getGraph().getOutputList().stream().map(o -> o.getName()).toList(),
        "the contract's outputs only, unless asked");
    assertTrue(
        !OnnxFiles.metadata(plain).containsKey(dev.vitmae.contract.MetadataKey.ATTENTION.name()));

    ModelProto onnx = CheckpointExporter.of(ckpt).attention(true).toOnnx("encoder");
    assertEquals(
        List.of(TensorNames.TOKENS, TensorNames.EMBEDDING, TensorNames.ATTENTION),
        onnx.getGraph().getOutputList().stream().map(o -> o.getName()).toList());
    String words = dev.vitmae.contract.MetadataKey.ATTENTION.get(OnnxFiles.metadata(onnx)).get();
    assertTrue(words.contains(classToken ? "class token" : "mean over all query"), words);
    INDArray x = images(5);
    assertParity(ckpt, "encoder", onnx, Map.of(TensorNames.IMAGES, x));

    // The reduction, by hand, from the last block's probabilities [B, h, T, T].
    SameDiff sd = CheckpointExporter.inferenceGraph(ckpt, "encoder");
    String probs =
        dev.vitmae.graph.nn.Attention.probabilities(
            dev.vitmae.graph.nn.Transformer.attention(
                dev.vitmae.graph.model.VitEncoder.TRANSFORMER, c.depth() - 1));
    INDArray p = sd.output(Map.of(TensorNames.IMAGES, x), probs).get(probs);
    int n = c.numPatches();
    int t = c.numTokens();
    assertEquals(
        List.of(5L, (long) c.heads(), (long) t, (long) t),
        List.of(p.shape()[0], p.shape()[1], p.shape()[2], p.shape()[3]));
    float[] served =
        OrtRunner.run(onnx, Map.of(TensorNames.IMAGES, x))
            .get(TensorNames.ATTENTION)
            .dup('c')
            .data()
            .asFloat();
    assertEquals(5 * n, served.length);
    for (int b = 0; b < 5; b++) {
      double rowSum = 0;
      for (int k = 0; k < n; k++) {
        double expected = 0;
        for (int h = 0; h < c.heads(); h++) {
          if (classToken) {
            expected += p.getDouble(b, h, 0, k + 1);
          } else {
            for (int q = 0; q < t; q++) expected += p.getDouble(b, h, q, k) / t;
          }
        }
        expected /= c.heads();
        assertEquals(expected, served[b * n + k], TOLERANCE, "image " + b + ", patch " + k);
        rowSum += served[b * n + k];
      }
      if (classToken) assertTrue(rowSum > 0 && rowSum < 1, "row sum " + rowSum);
      else assertEquals(1, rowSum, 1e-5);
    }
  }

  @Test
  void truncatedFileIsRefusedWithItsName(@TempDir Path dir) throws IOException {
    Checkpoint ckpt = checkpoint(new VitTask(VIT));
    Path file = CheckpointExporter.export(ckpt, dir, List.of("classifier"), 17).get(0);
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 3));
    var e = assertThrows(OnnxValidationException.class, () -> OnnxFiles.read(file));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("not a valid ONNX model"), e.getMessage());
  }

  /** SameDiff (inference graph with the checkpoint's weights) vs ONNX Runtime, every output. */
  static void assertParity(
      Checkpoint ckpt, String model, ModelProto onnx, Map<String, INDArray> feeds)
      throws Exception {
    SameDiff sd = CheckpointExporter.inferenceGraph(ckpt, model);
    Map<String, INDArray> actual = OrtRunner.run(onnx, feeds);
    assertEquals(onnx.getGraph().getOutputCount(), actual.size());
    for (String name : actual.keySet()) {
      INDArray expected = sd.output(feeds, name).get(name);
      double diff = OrtRunner.maxAbsDiff(expected, actual.get(name));
      System.out.printf("export parity %-10s %-14s max|Δ| = %.3g%n", model, name, diff);
      assertTrue(diff <= TOLERANCE, model + "/" + name + ": max |Δ| " + diff);
    }
  }
}
