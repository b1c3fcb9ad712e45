package dev.vitmae.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitmae.graph.model.Names;
import dev.vitmae.graph.train.GradFunction;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Each backward-pass translation of the registry against the ND4J 1.0.0-M2.1 kernel it replaces: a
 * small graph around the op, its gradient function from SameDiff, the gradients computed by
 * SameDiff and by ONNX Runtime on the exported step ({@link TrainingStepExporter} with gradients
 * out), compared per parameter. Each case also checks that the op under test is in the gradient
 * function, so a case cannot pass by not exercising it.
 */
class BackpropOpsTest {
  static final double TOLERANCE = 1e-5;

  /** {@code body(sd, (x, w))} → a tensor whose mean squares are the loss. */
  private static void check(
      String bpOp,
      long[] xShape,
      long[] wShape,
      BiFunction<SameDiff, SDVariable[], SDVariable> body)
      throws Exception {
    SameDiff sd = SameDiff.create();
    SDVariable x = sd.placeHolder("x", DataType.FLOAT, withBatch(xShape));
    SDVariable w = sd.var("w", Nd4j.rand(DataType.FLOAT, wShape).subi(0.5));
    SDVariable y = body.apply(sd, new SDVariable[] {x, w});
    sd.mean(Names.LOSS, sd.math().square(y));
    sd.setLossVariables(Names.LOSS);
    GradFunction.create(sd);
    List<String> ops = new ArrayList<>();
    for (DifferentialFunction op : sd.getFunction("grad").ops()) ops.add(op.opName());
    assertTrue(ops.contains(bpOp), bpOp + " not in the gradient function: " + ops);

    INDArray xs = Nd4j.rand(DataType.FLOAT, concrete(xShape, 3)).subi(0.5).muli(3);
    var reference =
        sd.calculateGradientsAndOutputs(Map.of("x", xs), List.of(Names.LOSS), List.of("w"));
    var model =
        TrainingStepExporter.export(
            sd,
            new TrainingStepExporter.Spec(
                Names.LOSS,
                List.of("w"),
                List.of(),
                Map.of("w", 0),
                0.9,
                0.999,
                1e-8,
                0,
                true,
                OnnxExporter.DEFAULT_OPSET,
                List.of()));
    Map<String, INDArray> in = new LinkedHashMap<>();
    in.put("x", xs);
    in.put("w", sd.getArrForVarName("w").dup());
    in.put(TrainingStepExporter.firstMoment("w"), Nd4j.zeros(DataType.FLOAT, wShape));
    in.put(TrainingStepExporter.secondMoment("w"), Nd4j.zeros(DataType.FLOAT, wShape));
    in.put(TrainingStepExporter.SQRT_BIAS_CORRECTION2, Nd4j.scalar(1f));
    in.put(TrainingStepExporter.stepSize(0), Nd4j.scalar(0f));
    Map<String, INDArray> ort = OrtRunner.run(model, in);
    assertEquals(
        reference.getOutputs().get(Names.LOSS).getDouble(0),
        ort.get(Names.LOSS).getDouble(0),
        1e-5,
        bpOp + " loss");
    INDArray expected = reference.getGradients().get("w");
    INDArray actual = ort.get(TrainingStepExporter.gradient("w"));
    double scale = Math.max(expected.amaxNumber().doubleValue(), 1e-6);
    double diff =
        OrtRunner.maxAbsDiff(expected.castTo(DataType.DOUBLE), actual.castTo(DataType.DOUBLE));
    assertTrue(diff / scale <= TOLERANCE, bpOp + ": max |Δ| " + diff + " of " + scale);
  }

  private static long[] withBatch(long[] shape) {
    long[] s = shape.clone();
    s[0] = -1;
    return s;
  }

  private static long[] concrete(long[] shape, long batch) {
    long[] s = shape.clone();
    s[0] = batch;
    return s;
  }

  @Test
  void addSubtractMultiplyDivideBroadcast() throws Exception {
    long[] x = {1, 4, 5};
    check("add_bp", x, new long[] {5}, (sd, v) -> v[0].add(v[1]));
    check("subtract_bp", x, new long[] {4, 1}, (sd, v) -> v[0].sub(v[1]));
    check("multiply_bp", x, new long[] {1, 5}, (sd, v) -> v[0].mul(v[1]));
    check("divide_bp", x, new long[] {5}, (sd, v) -> v[0].div(sd.math().abs(v[1]).add(1)));
  }

  @Test
  void matmulWithTransposes() throws Exception {
    check("matmul_bp", new long[] {1, 6}, new long[] {6, 3}, (sd, v) -> sd.mmul(v[0], v[1]));
    check(
        "matmul_bp",
        new long[] {1, 6},
        new long[] {3, 6},
        (sd, v) -> sd.mmul(v[0], v[1], false, true, false));
    // Batched products as attention has them: [B, heads, n, d] with either operand transposed.
    long[] heads = {1, 2, 4, 3};
    check(
        "matmul_bp",
        heads,
        new long[] {2, 4, 3},
        (sd, v) -> sd.mmul(v[0].mul(v[1]), v[0], false, true, false));
    check(
        "matmul_bp",
        heads,
        new long[] {2, 4, 3},
        (sd, v) -> sd.mmul(v[0].mul(v[1]), v[0], true, false, false));
  }

  @Test
  void softmaxAndReductions() throws Exception {
    long[] x = {1, 3, 6};
    check("softmax_bp", x, new long[] {6}, (sd, v) -> sd.nn().softmax(v[0].mul(v[1]), 2));
    check("reduce_mean_bp", x, new long[] {6}, (sd, v) -> sd.mean(v[0].mul(v[1]), true, 2));
    check("reduce_mean_bp", x, new long[] {6}, (sd, v) -> sd.mean(v[0].mul(v[1]), false, 1, 2));
    check("reduce_sum_bp", x, new long[] {6}, (sd, v) -> sd.sum(v[0].mul(v[1]), false, 2));
    check("reduce_max_bp", x, new long[] {6}, (sd, v) -> sd.max(v[0].mul(v[1]), 2));
    // The batch axis reduced: the count is the batch's at run time.
    check("reduce_mean_bp", x, new long[] {6}, (sd, v) -> sd.mean(v[0].mul(v[1]), false, 0));
  }

  @Test
  void concatSliceAndShapes() throws Exception {
    long[] x = {1, 4, 5};
    check(
        "concat_bp",
        x,
        new long[] {1, 2, 5},
        (sd, v) -> sd.concat(1, v[0], v[0].mul(2)).mul(sd.concat(1, v[1], v[1], v[1], v[1])));
    check(
        "slice_bp",
        x,
        new long[] {4, 5},
        (sd, v) -> sd.slice(v[0].mul(v[1]), new int[] {0, 1, 2}, new int[] {-1, 2, 3}));
    check("reshape", x, new long[] {20}, (sd, v) -> sd.reshape(v[0], -1, 20).mul(v[1]));
  }

  @Test
  void elementwise() throws Exception {
    long[] x = {1, 7};
    check("_powderivative", x, new long[] {7}, (sd, v) -> sd.math().pow(v[0].mul(v[1]), 3));
    check("abs", x, new long[] {7}, (sd, v) -> sd.math().abs(v[0].mul(v[1])));
    check("sign", x, new long[] {7}, (sd, v) -> sd.math().sign(v[0]).mul(v[1]));
    check("thresholdedrelu_bp", x, new long[] {7}, (sd, v) -> sd.nn().relu(v[0].mul(v[1]), 0));
    check(
        "pow",
        x,
        new long[] {7},
        (sd, v) -> sd.math().rsqrt(sd.math().square(v[0].mul(v[1])).add(1)));
    check("ones_as", x, new long[] {7}, (sd, v) -> sd.math().erf(v[0].mul(v[1])));
    check("exp", x, new long[] {7}, (sd, v) -> sd.math().exp(v[0].mul(v[1])));
    check(
        "log",
        x,
        new long[] {7},
        (sd, v) -> sd.math().log(sd.math().square(v[0].mul(v[1])).add(1)));
  }
}
