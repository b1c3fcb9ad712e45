package dev.vitmae.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitmae.contract.MaeMask;
import dev.vitmae.contract.MaeMasking;
import dev.vitmae.contract.TensorNames;
import dev.vitmae.datasets.DatasetSplits;
import dev.vitmae.datasets.SyntheticDigits;
import dev.vitmae.datasets.masks.MultiBlockMaskSampler;
import dev.vitmae.export.CheckpointExporter;
import dev.vitmae.export.OnnxExporter;
import dev.vitmae.export.OnnxFiles;
import dev.vitmae.graph.config.IjepaConfig;
import dev.vitmae.graph.config.MaeConfig;
import dev.vitmae.graph.config.TrainConfig;
import dev.vitmae.graph.config.ViTConfig;
import dev.vitmae.graph.model.Names;
import dev.vitmae.graph.train.Batch;
import dev.vitmae.graph.train.Checkpoint;
import dev.vitmae.graph.train.IjepaTask;
import dev.vitmae.graph.train.MaeTask;
import dev.vitmae.graph.train.Task;
import dev.vitmae.graph.train.Trainer;
import dev.vitmae.graph.train.VitTask;
import dev.vitmae.runtime.Embeddings;
import dev.vitmae.runtime.ModelOptions;
import dev.vitmae.runtime.VitModel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Training and serving agree: the reference-size ViT, MAE and I-JEPA, with random and trained
 * weights, exported to ONNX and served by the runtime module, against SameDiff on the same weights
 * and inputs, at batch 1, 7 and 64. Max |Δ| per output is printed and must stay within 1e-5.
 */
class ServingParityTest {
  static final double TOLERANCE = 1e-5;
  static final int[] BATCHES = {1, 7, 64};
  static final TrainConfig TRAIN =
      TrainConfig.builder().epochs(1).batchSize(32).lr(1e-3).microBatchSize(0).seed(5).build();
  static DatasetSplits data;

  @BeforeAll
  static void data() {
    data =
        new DatasetSplits(
            SyntheticDigits.generate("synthetic", 96, 3),
            SyntheticDigits.generate("synthetic-test", 64, 4));
  }

  /** A checkpoint of {@code task}, after {@code steps} optimizer steps (0: the random init). */
  static Trainer trained(Task task, int steps) {
    Trainer t = new Trainer(task, TRAIN).planSteps(Math.max(1, steps));
    for (int s = 0; s < steps; s++) {
      t.trainStep(
          task.feeds(Batch.read(data.train(), Task.range(32 * (s % 3), 32 * (s % 3) + 32), s)),
          1e-3);
    }
    return t;
  }

  static INDArray images(int batch) {
    return Task.images(data.requireTest(), Task.range(0, batch));
  }

  static float[] floats(INDArray a) {
    return a.castTo(DataType.FLOAT).dup('c').data().asFloat();
  }

  static double maxAbs(float[] a, float[] b) {
    assertEquals(a.length, b.length);
    double m = 0;
    for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
    return m;
  }

  static void check(String what, double diff) {
    System.out.printf("serving parity %-44s max|Δ| = %.3g%n", what, diff);
    assertTrue(diff <= TOLERANCE, what + ": max |Δ| " + diff + " > " + TOLERANCE);
  }

  @Test
  void maeAndItsEncoder(@TempDir Path dir) throws Exception {
    MaeTask task = new MaeTask(MaeConfig.reference());
    for (int steps : new int[] {0, 3}) {
      Trainer trainer = trained(task, steps);
      Checkpoint ckpt = trainer.checkpoint();
      Path out = dir.resolve("mae-" + steps);
      CheckpointExporter.export(ckpt, out, List.of("encoder", "mae"), OnnxExporter.DEFAULT_OPSET);
      SameDiff encoder = CheckpointExporter.inferenceGraph(ckpt, "encoder");
      String weights = steps == 0 ? "random" : "trained";
      try (VitModel mae = VitModel.open(out.resolve("mae.onnx"), ModelOptions.defaults());
          VitModel enc = VitModel.open(out.resolve("encoder.onnx"), ModelOptions.defaults())) {
        for (int b : BATCHES) {
          INDArray x = images(b);
          // The training path: the trainer's own graph (the encoder on the visible patches
          // only), fed the visible indices of the same draw the served model gets as floats.
          MaeMask masks = task.masks(b, 100 + b);
          INDArray mask = task.floatMask(masks);
          INDArray expected =
              trainer
                  .graph()
                  .output(task.feeds(x, masks), TensorNames.RECONSTRUCTION)
                  .get(TensorNames.RECONSTRUCTION);
          check(
              "mae " + weights + " batch " + b + " reconstruction",
              maxAbs(floats(expected), mae.mae().reconstruct(floats(x), floats(mask), b)));

          Map<String, INDArray> sd =
              encoder.output(
                  Map.of(TensorNames.IMAGES, x), TensorNames.TOKENS, TensorNames.EMBEDDING);
          Embeddings served = enc.encoder().embed(floats(x), b);
          check(
              "encoder(mae) " + weights + " batch " + b + " tokens",
              maxAbs(floats(sd.get(TensorNames.TOKENS)), served.tokens()));
          check(
              "encoder(mae) " + weights + " batch " + b + " embedding",
              maxAbs(floats(sd.get(TensorNames.EMBEDDING)), served.pooled()));
        }
        assertEquals(
            OnnxFiles.metadata(OnnxFiles.read(out.resolve("mae.onnx"))),
            mae.info().metadata(),
            "metadata round-trips");
      }
    }
  }

  /**
   * The encoder's optional {@code attention} output, served through {@link
   * dev.vitmae.runtime.EncoderView#attention}, equals SameDiff's within {@link #TOLERANCE}: the
   * reference MAE's encoder (no class token: the mean over the queries) and the reference ViT's
   * (the class token's row), trained a few steps so the maps are not uniform.
   */
  @Test
  void attentionMapsOfTheServedEncoder(@TempDir Path dir) throws Exception {
    for (Task task :
        List.of(new MaeTask(MaeConfig.reference()), new VitTask(ViTConfig.reference()))) {
      Checkpoint ckpt = trained(task, 3).checkpoint();
      Path file = dir.resolve(task.kind() + "-encoder.onnx");
      OnnxFiles.write(CheckpointExporter.of(ckpt).attention(true).toOnnx("encoder"), file);
      SameDiff encoder = CheckpointExporter.inferenceGraph(ckpt, "encoder");
      try (VitModel enc = VitModel.open(file, ModelOptions.defaults())) {
        for (int b : BATCHES) {
          INDArray x = images(b);
          INDArray sd =
              encoder
                  .output(Map.of(TensorNames.IMAGES, x), TensorNames.ATTENTION)
                  .get(TensorNames.ATTENTION);
          check(
              "encoder(" + task.kind() + ") batch " + b + " attention",
              maxAbs(floats(sd), enc.encoder().attention(floats(x), b).weights()));
        }
      }
    }
  }

  /**
   * I-JEPA: the served encoder is the target encoder the training step regresses onto, and the
   * training loss recomputed from the served predictor's outputs (one call per target block) is the
   * training graph's loss.
   */
  @Test
  void ijepaTargetEncoderAndPredictor(@TempDir Path dir) throws Exception {
    IjepaTask task = new IjepaTask(IjepaConfig.reference());
    MultiBlockMaskSampler sampler = new MultiBlockMaskSampler(task.config().masks());
    for (int steps : new int[] {0, 3}) {
      Trainer trainer = trained(task, steps);
      Checkpoint ckpt = trainer.checkpoint();
      Path out = dir.resolve("ijepa-" + steps);
      CheckpointExporter.export(
          ckpt, out, List.of("encoder", "predictor"), OnnxExporter.DEFAULT_OPSET);
      String weights = steps == 0 ? "random" : "trained";
      try (VitModel enc = VitModel.open(out.resolve("encoder.onnx"), ModelOptions.defaults());
          VitModel predictor =
              VitModel.open(out.resolve("predictor.onnx"), ModelOptions.defaults())) {
        for (int b : BATCHES) {
          INDArray x = images(b);
          Map<String, INDArray> feeds = task.feeds(x, sampler.sampleRagged(b, 200 + b));
          INDArray targetTokens = feeds.get(Names.TARGET_TOKENS);
          check(
              "encoder(ijepa) " + weights + " batch " + b + " tokens",
              maxAbs(floats(targetTokens), enc.encoder().embed(floats(x), b).tokens()));

          double loss = trainer.graph().output(feeds, Names.LOSS).get(Names.LOSS).getDouble(0);
          check(
              "predictor " + weights + " batch " + b + " loss",
              Math.abs(
                  loss
                      - servedLoss(
                          predictor,
                          floats(x),
                          floats(feeds.get(TensorNames.CONTEXT_MASK)),
                          floats(feeds.get(Names.TARGET_MASKS)),
                          floats(targetTokens),
                          b)));
        }
      }
    }
  }

  /**
   * The I-JEPA loss from served predictions: smooth L1 against layer-normed targets, mean over
   * target patches.
   */
  static double servedLoss(
      VitModel predictor,
      float[] x,
      float[] hidden,
      float[] targetMasks,
      float[] targets,
      int batch) {
    int n = 16;
    int dim = targets.length / (batch * n);
    int blocks = targetMasks.length / (batch * n);
    double sum = 0;
    long count = 0;
    for (int j = 0; j < blocks; j++) {
      float[] mask = new float[batch * n];
      for (int i = 0; i < batch; i++) {
        System.arraycopy(targetMasks, (i * blocks + j) * n, mask, i * n, n);
      }
      float[] predicted = predictor.predictor().predictTargets(x, hidden, mask, batch);
      for (int t = 0; t < batch * n; t++) {
        if (mask[t] == 0) continue;
        count++;
        double mean = 0;
        double var = 0;
        for (int d = 0; d < dim; d++) mean += targets[t * dim + d];
        mean /= dim;
        for (int d = 0; d < dim; d++) var += Math.pow(targets[t * dim + d] - mean, 2);
        double inv = 1 / Math.sqrt(var / dim + 1e-5);
        for (int d = 0; d < dim; d++) {
          double a = Math.abs(predicted[t * dim + d] - (targets[t * dim + d] - mean) * inv);
          sum += a < 1 ? 0.5 * a * a : a - 0.5;
        }
      }
    }
    return sum / (count * dim);
  }

  @Test
  void maskedCountMayDifferPerSample(@TempDir Path dir) throws Exception {
    Trainer trainer = trained(new MaeTask(MaeConfig.reference()), 2);
    Checkpoint ckpt = trainer.checkpoint();
    CheckpointExporter.export(ckpt, dir, List.of("mae"), OnnxExporter.DEFAULT_OPSET);
    int b = 7;
    INDArray mask = Nd4j.zeros(DataType.FLOAT, b, 16);
    for (int i = 0; i < b; i++) {
      // Sample i masks 2i+1 patches, chosen by the MAE sampler.
      int[] masked = MaeMasking.sample(1, 16, (2 * i + 1.5) / 16, 40 + i).masked()[0];
      for (int p : masked) mask.putScalar(i, p, 1);
    }
    INDArray x = images(b);
    // Ragged masks need the key-masking graph (the one mae.onnx is written from).
    INDArray expected =
        ((MaeTask) trainer.task())
            .servingGraph(trainer.graph())
            .output(
                Map.of(TensorNames.IMAGES, x, TensorNames.MASK, mask), TensorNames.RECONSTRUCTION)
            .get(TensorNames.RECONSTRUCTION);
    try (VitModel mae = VitModel.open(dir.resolve("mae.onnx"), ModelOptions.defaults())) {
      check(
          "mae per-sample masked counts 1..13",
          maxAbs(floats(expected), mae.mae().reconstruct(floats(x), floats(mask), b)));
    }
  }

  @Test
  void vitClassifierAndItsEncoder(@TempDir Path dir) throws Exception {
    VitTask task = new VitTask(ViTConfig.reference());
    for (int steps : new int[] {0, 3}) {
      Trainer trainer = trained(task, steps);
      Checkpoint ckpt = trainer.checkpoint();
      Path out = dir.resolve("vit-" + steps);
      CheckpointExporter.export(
          ckpt, out, List.of("classifier", "encoder"), OnnxExporter.DEFAULT_OPSET);
      SameDiff encoder = CheckpointExporter.inferenceGraph(ckpt, "encoder");
      String weights = steps == 0 ? "random" : "trained";
      try (VitModel cls = VitModel.open(out.resolve("classifier.onnx"), ModelOptions.defaults());
          VitModel enc = VitModel.open(out.resolve("encoder.onnx"), ModelOptions.defaults())) {
        for (int b : BATCHES) {
          INDArray x = images(b);
          INDArray logits =
              trainer
                  .graph()
                  .output(Map.of(TensorNames.IMAGES, x), TensorNames.LOGITS)
                  .get(TensorNames.LOGITS);
          check(
              "classifier " + weights + " batch " + b + " logits",
              maxAbs(floats(logits), cls.classifier().classify(floats(x), b)));
          Map<String, INDArray> sd =
              encoder.output(
                  Map.of(TensorNames.IMAGES, x), TensorNames.TOKENS, TensorNames.EMBEDDING);
          Embeddings served = enc.encoder().embed(floats(x), b);
          check(
              "encoder(vit) " + weights + " batch " + b + " tokens",
              maxAbs(floats(sd.get(TensorNames.TOKENS)), served.tokens()));
          check(
              "encoder(vit) " + weights + " batch " + b + " embedding",
              maxAbs(floats(sd.get(TensorNames.EMBEDDING)), served.pooled()));
        }
      }
    }
  }
}
