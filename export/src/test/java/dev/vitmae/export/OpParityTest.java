package dev.vitmae.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Every registry entry: a one-op SameDiff graph on random input, exported and run in ONNX Runtime;
 * max |SameDiff − ONNX Runtime| must stay within {@value #TOLERANCE}.
 */
class OpParityTest {
  static final double TOLERANCE = 1e-5;

  /** Builds "out" from inputs x [2,3,4,5] and y [2,3,4,5] (y only where the op needs it). */
  static final Map<OnnxOp, BiFunction<SameDiff, SDVariable[], SDVariable>> CASES =
      new EnumMap<>(OnnxOp.class);

  static {
    CASES.put(OnnxOp.ADD, (sd, in) -> in[0].add(sd.constant(Nd4j.rand(DataType.FLOAT, 4, 5))));
    CASES.put(OnnxOp.SUBTRACT, (sd, in) -> in[0].sub(in[1]));
    CASES.put(OnnxOp.MULTIPLY, (sd, in) -> in[0].mul(in[1]));
    CASES.put(OnnxOp.DIVIDE, (sd, in) -> in[0].div(in[1].add(2.0)));
    CASES.put(OnnxOp.ADD_SCALAR, (sd, in) -> in[0].add(0.75));
    CASES.put(OnnxOp.SUB_SCALAR, (sd, in) -> in[0].sub(0.75));
    CASES.put(OnnxOp.RSUB_SCALAR, (sd, in) -> in[0].rsub(0.75));
    CASES.put(OnnxOp.MUL_SCALAR, (sd, in) -> in[0].mul(-1.5));
    CASES.put(OnnxOp.DIV_SCALAR, (sd, in) -> in[0].div(3.0));
    CASES.put(OnnxOp.RDIV_SCALAR, (sd, in) -> in[0].add(2.0).rdiv(3.0));
    CASES.put(OnnxOp.ERF, (sd, in) -> sd.math().erf(in[0]));
    CASES.put(OnnxOp.EXP, (sd, in) -> sd.math().exp(in[0]));
    CASES.put(OnnxOp.LOG, (sd, in) -> sd.math().log(in[0].add(1.5)));
    CASES.put(OnnxOp.NEG, (sd, in) -> in[0].neg());
    CASES.put(OnnxOp.SQRT, (sd, in) -> sd.math().sqrt(in[0].add(1.5)));
    CASES.put(OnnxOp.IDENTITY, (sd, in) -> sd.identity(in[0]));
    CASES.put(OnnxOp.RSQRT, (sd, in) -> sd.math().rsqrt(in[0].add(1.5)));
    CASES.put(OnnxOp.SQUARE, (sd, in) -> sd.math().square(in[0]));
    CASES.put(OnnxOp.SOFTMAX, (sd, in) -> sd.nn().softmax(in[0], 3));
    CASES.put(OnnxOp.MATMUL, (sd, in) -> sd.mmul(in[0], in[1], false, true, false));
    CASES.put(OnnxOp.PERMUTE, (sd, in) -> sd.permute(in[0], 0, 2, 3, 1));
    CASES.put(OnnxOp.RESHAPE, (sd, in) -> sd.reshape(in[0], -1, 20));
    CASES.put(OnnxOp.REDUCE_MEAN, (sd, in) -> sd.mean(in[0], true, 2));
    CASES.put(OnnxOp.REDUCE_SUM, (sd, in) -> sd.sum(in[0], false, 1, 3));
    CASES.put(OnnxOp.REDUCE_MAX, (sd, in) -> sd.max(in[0], true, 3));
    CASES.put(OnnxOp.CONCAT, (sd, in) -> sd.concat(2, in[0], in[1]));
    CASES.put(
        OnnxOp.SPLIT,
        (sd, in) -> {
          SDVariable[] parts = sd.split(in[0], 2, 2);
          return parts[1].sub(parts[0]);
        });
    CASES.put(OnnxOp.SLICE, (sd, in) -> sd.slice(in[0], new int[] {0, 1, 0, 2}, -1, 2, 4, 3));
    CASES.put(OnnxOp.ZEROS_LIKE, (sd, in) -> sd.zerosLike(in[0]).add(in[1]));
    // Indices [3, 4] (a constant: the exporter writes it as floats, the translation casts it).
    CASES.put(
        OnnxOp.ONE_HOT,
        (sd, in) ->
            sd.oneHot(
                    sd.constant(
                        Nd4j.createFromArray(
                            new int[][] {{0, 4, 1, 2}, {3, 3, 0, 4}, {2, 1, 4, 0}})),
                    5,
                    -1,
                    2.0,
                    -0.5,
                    DataType.FLOAT)
                .add(in[0]));
    CASES.put(OnnxOp.ABS, (sd, in) -> sd.math().abs(in[0]));
    CASES.put(OnnxOp.RELU, (sd, in) -> sd.nn().relu(in[0], 0));
    CASES.put(OnnxOp.SIGN, (sd, in) -> sd.math().sign(in[0]));
    CASES.put(OnnxOp.ONES_AS, (sd, in) -> sd.onesLike(in[0]).add(in[1]));
  }

  /**
   * Registry entries that only gradient functions use, with no one-op forward case here: {@code
   * BackpropOpsTest} checks each against the M2.1 kernel it replaces (every case asserting that the
   * op is in the gradient function), and {@code TrainingStepExporterTest} inside whole MAE, ViT and
   * I-JEPA steps.
   */
  static final List<OnnxOp> TRAINING_STEP_ONLY =
      List.of(
          OnnxOp.POW,
          OnnxOp.POW_DERIVATIVE,
          OnnxOp.SHAPE_OF,
          OnnxOp.ADD_BP,
          OnnxOp.SUBTRACT_BP,
          OnnxOp.MULTIPLY_BP,
          OnnxOp.DIVIDE_BP,
          OnnxOp.MATMUL_BP,
          OnnxOp.SOFTMAX_BP,
          OnnxOp.REDUCE_MEAN_BP,
          OnnxOp.REDUCE_SUM_BP,
          OnnxOp.REDUCE_MAX_BP,
          OnnxOp.CONCAT_BP,
          OnnxOp.SLICE_BP,
          OnnxOp.THRESHOLDED_RELU_BP);

  static Stream<Arguments> cases() {
    return CASES.keySet().stream().map(Arguments::of);
  }

  @Test
  void everyRegistryEntryHasAParityCase() {
    List<OnnxOp> covered = new java.util.ArrayList<>(CASES.keySet());
    covered.addAll(TRAINING_STEP_ONLY);
    covered.sort(null);
    assertEquals(List.of(OnnxOp.values()), covered, "add a case for each new registry entry");
  }

  @ParameterizedTest
  @MethodSource("cases")
  void sameDiffAndOnnxRuntimeAgree(OnnxOp op) throws Exception {
    SameDiff sd = SameDiff.create();
    SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 3, 4, 5);
    SDVariable y = sd.placeHolder("y", DataType.FLOAT, -1, 3, 4, 5);
    SDVariable out = sd.identity("out", CASES.get(op).apply(sd, new SDVariable[] {x, y}));
    assertTrue(
        List.of(sd.ops()).stream().anyMatch(f -> f.opName().equals(op.sameDiffName())),
        "the case must use " + op.sameDiffName());
    Nd4j.getRandom().setSeed(op.ordinal());
    Map<String, INDArray> feeds =
        Map.of(
            "x",
            Nd4j.randn(DataType.FLOAT, 2, 3, 4, 5),
            "y",
            Nd4j.randn(DataType.FLOAT, 2, 3, 4, 5));
    var model = OnnxExporter.export(sd, new ExportRequest("t", List.of("out"), 17, Map.of()));
    INDArray expected = sd.output(feeds, "out").get("out");
    Map<String, INDArray> ortFeeds = new java.util.HashMap<>();
    model.getGraph().getInputList().forEach(i -> ortFeeds.put(i.getName(), feeds.get(i.getName())));
    INDArray actual = OrtRunner.run(model, ortFeeds).get("out");
    double diff = OrtRunner.maxAbsDiff(expected, actual);
    System.out.printf("parity %-12s max|Δ| = %.3g%n", op.sameDiffName(), diff);
    assertTrue(diff <= TOLERANCE, op + ": max |Δ| " + diff + " > " + TOLERANCE);
  }
}
