package dev.vitmae.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitmae.datasets.ImageDataset;
import dev.vitmae.datasets.SyntheticDigits;
import dev.vitmae.export.onnx.OnnxProto.ModelProto;
import dev.vitmae.export.onnx.OnnxProto.NodeProto;
import dev.vitmae.graph.Tiny;
import dev.vitmae.graph.config.ClassToken;
import dev.vitmae.graph.config.IjepaConfig;
import dev.vitmae.graph.config.MaeConfig;
import dev.vitmae.graph.config.PatchEmbedding;
import dev.vitmae.graph.config.Pooling;
import dev.vitmae.graph.config.PosEmbedding;
import dev.vitmae.graph.config.TrainConfig;
import dev.vitmae.graph.config.ViTConfig;
import dev.vitmae.graph.model.Names;
import dev.vitmae.graph.train.Adam;
import dev.vitmae.graph.train.Batch;
import dev.vitmae.graph.train.IjepaTask;
import dev.vitmae.graph.train.MaeTask;
import dev.vitmae.graph.train.Task;
import dev.vitmae.graph.train.Trainer;
import dev.vitmae.graph.train.VitTask;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One training step of each built-in task written as ONNX ({@link TrainingStepExporter}) and run by
 * ONNX Runtime against SameDiff's own gradients and {@link Adam}: the loss, every gradient and
 * every updated parameter and moment agree within a relative float32 tolerance per tensor, from a
 * state with non-zero moments, weight decay and two lr groups.
 */
class TrainingStepExporterTest {
  /** max |Δ| / max(max |reference|, 1e-3) per tensor. */
  static final double TOLERANCE = 2e-4;

  static final ImageDataset DATA = SyntheticDigits.generate("synthetic", 16, 3);

  static final TrainConfig TRAIN = Tiny.train();

  @Test
  void maeStepMatchesSameDiff() throws Exception {
    MaeConfig mae = Tiny.maeForSteps();
    check(new MaeTask(mae));
  }

  @Test
  void maeWithNormalizedPixelLossMatchesSameDiff() throws Exception {
    MaeConfig mae =
        MaeConfig.builder()
            .dim(16)
            .depth(1)
            .heads(2)
            .dimHead(8)
            .mlpDim(16)
            .decoderDim(16)
            .decoderHeads(2)
            .decoderDimHead(8)
            .decoderMlpDim(16)
            .normPixelLoss(true)
            .build();
    check(new MaeTask(mae));
  }

  @Test
  void vitStepMatchesSameDiff() throws Exception {
    check(new VitTask(Tiny.vit()));
    check(
        new VitTask(
            ViTConfig.builder()
                .dim(16)
                .depth(1)
                .heads(2)
                .dimHead(8)
                .mlpDim(16)
                .pool(Pooling.MEAN)
                .build()));
  }

  /**
   * Stochastic depth: the fed branch scales enter the step, and the gradient SameDiff's backward
   * writes for them (no one trains a fed mask) is left out of the graph, whose reductions are then
   * those of the plain ViT's step.
   */
  @Test
  void vitStepWithDropPathMatchesSameDiffAndComputesNoMaskGradient() throws Exception {
    TrainConfig dropPath = TRAIN.toBuilder().dropPath(0.5).build();
    check(new VitTask(Tiny.vit()), dropPath);
    Map<String, Long> plain = opTypes(step(new VitTask(Tiny.vit()), TRAIN));
    Map<String, Long> withDropPath = opTypes(step(new VitTask(Tiny.vit()), dropPath));
    assertEquals(plain.get("ReduceSum"), withDropPath.get("ReduceSum"), withDropPath.toString());
    assertEquals(
        plain.get("Mul") + 4L * Tiny.vit().depth(),
        withDropPath.get("Mul"),
        "per branch one Mul forward, one backward: " + withDropPath);
  }

  /** The training step of {@code task} as {@code train} trains it, every parameter trained. */
  private static ModelProto step(Task task, TrainConfig train) throws Exception {
    Trainer trainer = new Trainer(task, train);
    return TrainingStepExporter.export(
        trainer.graph(), spec(List.copyOf(trainer.params().keySet()), true));
  }

  /** How many nodes of each op type {@code model}'s graph has. */
  private static Map<String, Long> opTypes(ModelProto model) {
    return model.getGraph().getNodeList().stream()
        .collect(Collectors.groupingBy(NodeProto::getOpType, Collectors.counting()));
  }

  @Test
  void ijepaStepMatchesSameDiff() throws Exception {
    check(new IjepaTask(Tiny.ijepa()));
  }

  /**
   * The published pre-training variants: facebookresearch/mae's (the class token encoded and
   * decoded, fixed sin-cos positions in encoder and decoder, timm's patch embedding, qkv bias,
   * epsilon 1e-6) and ijepa's (no class token, sin-cos positions, a sin-cos predictor table).
   */
  @Test
  void publishedMaeAndIjepaStepsMatchSameDiff() throws Exception {
    ViTConfig encoder =
        ViTConfig.builder()
            .dim(16)
            .depth(1)
            .heads(2)
            .dimHead(8)
            .mlpDim(32)
            .patchEmbedding(PatchEmbedding.LINEAR)
            .qkvBias(true)
            .layerNormEps(1e-6)
            .classToken(ClassToken.POSITIONED)
            .posEmbedding(PosEmbedding.SINCOS)
            .pool(Pooling.MEAN)
            .build();
    for (boolean normPix : new boolean[] {false, true}) {
      check(
          new MaeTask(MaeConfig.mae(encoder, 16, 1, 2).toBuilder().normPixelLoss(normPix).build()));
    }
    ViTConfig noClass = encoder.toBuilder().classToken(ClassToken.NONE).build();
    check(new IjepaTask(IjepaConfig.ijepa(noClass, 16, 1, 2)));
  }

  /**
   * The exact GELU and the LayerNorm are written fused with SameDiff's gradients of them ({@link
   * GeluFusion}, {@link LayerNormGradFusion}): no tensor of ones, one {@code HardSigmoid} per GELU,
   * no LayerNorm left to the op-by-op translation; and the fused gradient agrees with SameDiff's
   * over GELU's whole range (inputs from −8 to 8, where the density underflows and the CDF
   * saturates).
   */
  @Test
  void geluAndLayerNormAreFusedWithTheirGradients() throws Exception {
    // The linear patch embedding: vit-pytorch's normalizes pixels, whose gradient no one needs
    // (that LayerNorm's backward is a different pattern, left to the op-by-op translation).
    MaeConfig config =
        Tiny.maeForSteps().toBuilder()
            .encoder(
                Tiny.maeForSteps().encoder().toBuilder()
                    .patchEmbedding(PatchEmbedding.LINEAR)
                    .build())
            .build();
    ModelProto mae = step(new MaeTask(config), TRAIN);
    Map<String, Long> types = opTypes(mae);
    long gelus = Tiny.maeForSteps().encoder().depth() + Tiny.maeForSteps().decoderDepth();
    assertEquals(gelus, types.getOrDefault("HardSigmoid", 0L), types.toString());
    assertEquals(gelus, types.getOrDefault("Erf", 0L), types.toString());
    assertFalse(
        mae.getGraph().getNodeList().stream().anyMatch(n -> n.getName().startsWith("ones_as")),
        "a tensor of ones is still written");
    // Every LayerNorm, too: none left to the op-by-op translation (its rsqrt).
    assertFalse(
        mae.getGraph().getNodeList().stream().anyMatch(n -> n.getName().startsWith("rsqrt")),
        types.toString());

    SameDiff sd = SameDiff.create();
    SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 6);
    SDVariable w = sd.var("w", Nd4j.eye(6).castTo(DataType.FLOAT));
    SDVariable r = sd.constant("r", Nd4j.rand(DataType.FLOAT, 1, 6).subi(0.5));
    SDVariable y = dev.vitmae.graph.nn.Layers.gelu(sd, x.mmul(w));
    sd.setLossVariables(y.mul(r).sum().rename(Names.LOSS));
    dev.vitmae.graph.train.GradFunction.create(sd);
    INDArray input = Nd4j.linspace(-8, 8, 96, DataType.FLOAT).reshape(16, 6);
    ModelProto step = TrainingStepExporter.export(sd, spec(List.of("w"), true));
    assertTrue(
        step.getGraph().getNodeList().stream().anyMatch(n -> n.getOpType().equals("HardSigmoid")));
    Map<String, INDArray> inputs = new LinkedHashMap<>(Map.of("x", input, "w", w.getArr().dup()));
    inputs.put(TrainingStepExporter.firstMoment("w"), Nd4j.zeros(DataType.FLOAT, 6, 6));
    inputs.put(TrainingStepExporter.secondMoment("w"), Nd4j.zeros(DataType.FLOAT, 6, 6));
    inputs.put(TrainingStepExporter.SQRT_BIAS_CORRECTION2, Nd4j.scalar(1f));
    inputs.put(TrainingStepExporter.decay(0), Nd4j.scalar(0f));
    inputs.put(TrainingStepExporter.stepSize(0), Nd4j.scalar(0f));
    Map<String, INDArray> ort = OrtRunner.run(step, inputs);
    Map<String, INDArray> reference = sd.calculateGradients(Map.of("x", input), "w");
    INDArray expected = reference.get("w").castTo(DataType.DOUBLE);
    double diff =
        OrtRunner.maxAbsDiff(
            expected, ort.get(TrainingStepExporter.gradient("w")).castTo(DataType.DOUBLE));
    assertTrue(diff <= 1e-6 * expected.amaxNumber().doubleValue(), "max |Δ| " + diff);
    double loss = sd.output(Map.of("x", input), Names.LOSS).get(Names.LOSS).getDouble(0);
    assertEquals(loss, ort.get(Names.LOSS).getDouble(0), 1e-5 * Math.abs(loss));
  }

  /**
   * In a step graph (run by ONNX Runtime alone) a transposed product is one {@code FusedMatMul} of
   * ONNX Runtime's domain, with no {@code Transpose} for ONNX Runtime to merge into a head
   * permutation; a model for serving, exported from the same graph, stays standard ONNX.
   */
  @Test
  void transposedProductsAreFusedInStepGraphsOnly() throws Exception {
    Trainer trainer = new Trainer(new MaeTask(Tiny.maeForSteps()), TRAIN);
    ModelProto step =
        TrainingStepExporter.export(
            trainer.graph(), spec(List.copyOf(trainer.params().keySet()), false));
    assertTrue(
        step.getGraph().getNodeList().stream()
            .anyMatch(
                n ->
                    n.getOpType().equals("FusedMatMul")
                        && n.getDomain().equals(OnnxOperator.ONNX_RUNTIME_DOMAIN)));
    assertTrue(
        step.getOpsetImportList().stream()
            .anyMatch(o -> o.getDomain().equals(OnnxOperator.ONNX_RUNTIME_DOMAIN)));
    ModelProto served =
        OnnxExporter.export(
            trainer.graph(),
            new ExportRequest("loss", List.of(Names.LOSS), OnnxExporter.DEFAULT_OPSET, Map.of()));
    assertTrue(
        served.getGraph().getNodeList().stream().allMatch(n -> n.getDomain().isEmpty()),
        "a served model uses a contrib operator");
    assertEquals(1, served.getOpsetImportCount());
  }

  /** A step spec over {@code names}, one lr group, the test's optimizer. */
  private static TrainingStepExporter.Spec spec(List<String> names, boolean gradientsOut) {
    Map<String, Integer> groupOf = new LinkedHashMap<>();
    names.forEach(n -> groupOf.put(n, 0));
    return spec(names, groupOf, gradientsOut);
  }

  /** A step spec over {@code names} in the lr groups {@code groupOf}, the test's optimizer. */
  private static TrainingStepExporter.Spec spec(
      List<String> names, Map<String, Integer> groupOf, boolean gradientsOut) {
    return new TrainingStepExporter.Spec(
        Names.LOSS,
        names,
        List.of(),
        groupOf,
        TRAIN.beta1(),
        TRAIN.beta2(),
        TRAIN.epsilon(),
        TRAIN.weightDecay(),
        gradientsOut,
        OnnxExporter.DEFAULT_OPSET,
        List.of());
  }

  private static void check(Task task) throws Exception {
    check(task, TRAIN);
  }

  /** {@code task} as {@code train} trains it ({@link Task#trainedWith}); Adam is TRAIN's. */
  private static void check(Task task, TrainConfig train) throws Exception {
    Trainer trainer = new Trainer(task, train);
    trainer.planSteps(10);
    Map<String, INDArray> feeds = trainer.task().feeds(Batch.read(DATA, Task.range(0, 8), 7));
    Map<String, INDArray> params = trainer.params();
    List<String> names = List.copyOf(params.keySet());
    // Two lr groups: the first half of the parameters at scale 1, the rest at 0.5.
    Map<String, Integer> groupOf = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) groupOf.put(names.get(i), i < names.size() / 2 ? 0 : 1);
    Map<String, Double> scales = new HashMap<>();
    groupOf.forEach((n, g) -> scales.put(n, g == 0 ? 1.0 : 0.5));

    // A state with non-zero moments, as in the middle of a run.
    Map<String, INDArray> m = new LinkedHashMap<>();
    Map<String, INDArray> v = new LinkedHashMap<>();
    for (String n : names) {
      long[] shape = params.get(n).shape();
      m.put(n, Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, shape).subi(0.5).muli(1e-3));
      v.put(n, Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, shape).muli(1e-6));
    }
    long t = 4;
    double lr = 1e-3;
    double bc1 = 1 - Math.pow(TRAIN.beta1(), t);
    double bc2 = 1 - Math.pow(TRAIN.beta2(), t);

    ModelProto step = TrainingStepExporter.export(trainer.graph(), spec(names, groupOf, true));
    Map<String, INDArray> inputs = new LinkedHashMap<>(feeds);
    for (String n : names) {
      inputs.put(n, params.get(n).dup());
      inputs.put(TrainingStepExporter.firstMoment(n), m.get(n).dup());
      inputs.put(TrainingStepExporter.secondMoment(n), v.get(n).dup());
    }
    inputs.put(TrainingStepExporter.SQRT_BIAS_CORRECTION2, Nd4j.scalar((float) Math.sqrt(bc2)));
    for (int k = 0; k < 2; k++) {
      double scale = k == 0 ? 1 : 0.5;
      inputs.put(
          TrainingStepExporter.decay(k), Nd4j.scalar((float) (lr * scale * TRAIN.weightDecay())));
      inputs.put(TrainingStepExporter.stepSize(k), Nd4j.scalar((float) (lr * scale / bc1)));
    }
    Map<String, INDArray> ort = OrtRunner.run(step, inputs);

    // The reference: SameDiff's gradients, then Adam on copies.
    Trainer.Gradients g = trainer.gradients(feeds);
    assertClose(trainer.task().kind() + " loss", Nd4j.scalar(g.loss()), ort.get(Names.LOSS));
    Adam adam = new Adam(TRAIN);
    Map<String, INDArray> w = new LinkedHashMap<>();
    for (String n : names) {
      w.put(n, params.get(n).dup());
      adam.firstMoments().put(n, m.get(n).dup());
      adam.secondMoments().put(n, v.get(n).dup());
    }
    adam.step(w, g.byParam(), lr, t, scales);
    for (String n : names) {
      assertClose(n + " gradient", g.byParam().get(n), ort.get(TrainingStepExporter.gradient(n)));
      assertClose(
          n + " m", adam.firstMoments().get(n), ort.get(TrainingStepExporter.nextFirstMoment(n)));
      assertClose(
          n + " v", adam.secondMoments().get(n), ort.get(TrainingStepExporter.nextSecondMoment(n)));
      assertClose(n, w.get(n), ort.get(TrainingStepExporter.next(n)));
    }
  }

  static void assertClose(String what, INDArray expected, INDArray actual) {
    INDArray e =
        expected.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).reshape(actual.shape());
    double scale = Math.max(e.amaxNumber().doubleValue(), 1e-3);
    double diff =
        OrtRunner.maxAbsDiff(e, actual.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE));
    assertTrue(diff / scale <= TOLERANCE, what + ": max |Δ| " + diff + " relative " + diff / scale);
  }
}
