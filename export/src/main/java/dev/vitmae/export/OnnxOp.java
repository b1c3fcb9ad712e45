package dev.vitmae.export;

import static dev.vitmae.export.OnnxGraphBuilder.intAttr;
import static dev.vitmae.export.OnnxGraphBuilder.ints;

import dev.vitmae.export.onnx.OnnxProto.TensorProto;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.linalg.api.ops.BaseReduceOp;
import org.nd4j.linalg.api.ops.BaseScalarOp;
import org.nd4j.linalg.api.ops.DynamicCustomOp;

/**
 * The op registry: one constant per supported SameDiff op, with the ONNX node(s) it becomes. Each
 * entry checks the op's arity and settings and fails with {@link UnsupportedOpException} naming the
 * op and node when it cannot express them.
 */
public enum OnnxOp {
  ADD("add", 2, (c, op) -> c.binary("Add", op)),
  SUBTRACT("subtract", 2, (c, op) -> c.binary("Sub", op)),
  MULTIPLY("multiply", 2, (c, op) -> c.binary("Mul", op)),
  DIVIDE("divide", 2, (c, op) -> c.binary("Div", op)),
  ADD_SCALAR("add_scalar", 1, (c, op) -> c.withScalar("Add", op, false)),
  SUB_SCALAR("sub_scalar", 1, (c, op) -> c.withScalar("Sub", op, false)),
  RSUB_SCALAR("rsub_scalar", 1, (c, op) -> c.withScalar("Sub", op, true)),
  MUL_SCALAR("mul_scalar", 1, (c, op) -> c.withScalar("Mul", op, false)),
  DIV_SCALAR("div_scalar", 1, (c, op) -> c.withScalar("Div", op, false)),
  RDIV_SCALAR("rdiv_scalar", 1, (c, op) -> c.withScalar("Div", op, true)),
  ERF("erf", 1, (c, op) -> c.unary("Erf", op)),
  EXP("exp", 1, (c, op) -> c.unary("Exp", op)),
  LOG("log", 1, (c, op) -> c.unary("Log", op)),
  NEG("neg", 1, (c, op) -> c.unary("Neg", op)),
  SQRT("sqrt", 1, (c, op) -> c.unary("Sqrt", op)),
  IDENTITY("identity", 1, (c, op) -> c.unary("Identity", op)),
  /** Opset 17 has no Rsqrt: Reciprocal(Sqrt(x)). */
  RSQRT(
      "rsqrt",
      1,
      (c, op) -> {
        String root = c.temp(op, "sqrt");
        c.b().node("Sqrt", op.getOwnName(), new String[] {c.in(op, 0)}, root);
        c.b().node("Reciprocal", op.getOwnName(), new String[] {root}, c.out(op, 0));
      }),
  SQUARE(
      "square",
      1,
      (c, op) ->
          c.b()
              .node("Mul", op.getOwnName(), new String[] {c.in(op, 0), c.in(op, 0)}, c.out(op, 0))),
  SOFTMAX(
      "softmax",
      1,
      (c, op) ->
          c.b()
              .node("Softmax", op.getOwnName(), new String[] {c.in(op, 0)}, c.out(op, 0))
              .addAttribute(intAttr("axis", c.iArg(op, 0)))),
  MATMUL("matmul", 2, OnnxOp::matmul),
  /**
   * {@code onehot(indices)}, iArgs {@code [axis, depth]}, tArgs {@code [on, off]}: the indices
   * (int32 placeholders, e.g. the MAE's visible patches) cast to int64, which every ONNX Runtime
   * {@code OneHot} kernel takes.
   */
  ONE_HOT("onehot", 1, OnnxOp::oneHot),
  PERMUTE(
      "permute",
      1,
      (c, op) ->
          c.b()
              .node("Transpose", op.getOwnName(), new String[] {c.in(op, 0)}, c.out(op, 0))
              .addAttribute(ints("perm", c.iArgs(op)))),
  /** A static shape in iArgs, or (in gradient functions) a shape tensor as the second input. */
  RESHAPE("reshape", -1, OnnxOp::reshape),
  REDUCE_MEAN(
      "reduce_mean", 1, (c, op) -> c.reduce("ReduceMean", op, OnnxOp.REDUCE_MEAN_AXES_INPUT)),
  REDUCE_SUM("reduce_sum", 1, (c, op) -> c.reduce("ReduceSum", op, 13)),
  REDUCE_MAX("reduce_max", 1, (c, op) -> c.reduce("ReduceMax", op, 18)),
  CONCAT(
      "concat",
      -1,
      (c, op) ->
          c.b()
              .node("Concat", op.getOwnName(), c.inputs(op), c.out(op, 0))
              .addAttribute(intAttr("axis", c.iArg(op, 0)))),
  SPLIT("split", 1, OnnxOp::split),
  SLICE("slice", 1, OnnxOp::slice),
  ABS("abs", 1, (c, op) -> c.unary("Abs", op)),
  RELU("relu", 1, (c, op) -> c.unary("Relu", op)),
  SIGN("sign", 1, (c, op) -> c.unary("Sign", op)),
  POW("pow", -1, BackpropOps::pow),
  POW_DERIVATIVE("_powderivative", 1, BackpropOps::powDerivative),
  ONES_AS("ones_as", 1, BackpropOps::onesAs),
  SHAPE_OF("shape_of", 1, BackpropOps::shapeOfOp),
  ADD_BP("add_bp", 3, BackpropOps::addBp),
  SUBTRACT_BP("subtract_bp", 3, BackpropOps::subtractBp),
  MULTIPLY_BP("multiply_bp", 3, BackpropOps::multiplyBp),
  DIVIDE_BP("divide_bp", 3, BackpropOps::divideBp),
  MATMUL_BP("matmul_bp", 3, BackpropOps::matmulBp),
  SOFTMAX_BP("softmax_bp", 2, BackpropOps::softmaxBp),
  REDUCE_MEAN_BP("reduce_mean_bp", 2, BackpropOps::reduceMeanBp),
  REDUCE_SUM_BP("reduce_sum_bp", 2, BackpropOps::reduceSumBp),
  REDUCE_MAX_BP("reduce_max_bp", 2, BackpropOps::reduceMaxBp),
  CONCAT_BP("concat_bp", -1, BackpropOps::concatBp),
  SLICE_BP("slice_bp", 2, BackpropOps::sliceBp),
  THRESHOLDED_RELU_BP("thresholdedrelu_bp", 2, BackpropOps::thresholdedReluBp),
  ZEROS_LIKE(
      "zeroslike",
      1,
      (c, op) -> {
        String shape = c.temp(op, "shape");
        c.b().node("Shape", op.getOwnName(), new String[] {c.in(op, 0)}, shape);
        TensorProto zero =
            TensorProto.newBuilder()
                .setName("zero")
                .addDims(1)
                .setDataType(TensorProto.DataType.FLOAT_VALUE)
                .addFloatData(0f)
                .build();
        c.b()
            .node("ConstantOfShape", op.getOwnName(), new String[] {shape}, c.out(op, 0))
            .addAttribute(OnnxGraphBuilder.tensorAttr("value", zero));
      });

  /** The opset from which {@code ReduceMean} takes its axes as an input, not an attribute. */
  static final int REDUCE_MEAN_AXES_INPUT = 18;

  /** How an entry writes its op. */
  @FunctionalInterface
  interface Emitter {
    void emit(ExportContext c, DifferentialFunction op);
  }

  private final String sameDiffName;
  private final int arity;
  private final Emitter emitter;

  OnnxOp(String sameDiffName, int arity, Emitter emitter) {
    this.sameDiffName = sameDiffName;
    this.arity = arity;
    this.emitter = emitter;
  }

  /** The SameDiff op name this entry translates ({@code opName()}). */
  public String sameDiffName() {
    return sameDiffName;
  }

  /**
   * The registry entry for {@code op}, or an {@link UnsupportedOpException} listing the supported
   * set.
   */
  public static OnnxOp of(DifferentialFunction op) {
    for (OnnxOp entry : values()) {
      if (entry.sameDiffName.equals(op.opName())) return entry;
    }
    throw new UnsupportedOpException(
        "SameDiff op '"
            + op.opName()
            + "' (node '"
            + op.getOwnName()
            + "', output "
            + Arrays.toString(op.outputVariablesNames())
            + ") has no ONNX translation;"
            + " supported: "
            + supported());
  }

  /** Supported SameDiff op names, comma-separated. */
  public static String supported() {
    return Arrays.stream(values())
        .map(OnnxOp::sameDiffName)
        .sorted()
        .collect(Collectors.joining(", "));
  }

  void emit(ExportContext c, DifferentialFunction op) {
    int args = op.args().length;
    if (arity >= 0 && args != arity) {
      throw new UnsupportedOpException(
          "op "
              + sameDiffName
              + " (node '"
              + op.getOwnName()
              + "') expects "
              + arity
              + " inputs, got "
              + args
              + (args > arity ? " (a shape or axis given as a variable is not supported)" : ""));
    }
    emitter.emit(c, op);
  }

  private static void matmul(ExportContext c, DifferentialFunction op) {
    DynamicCustomOp mm = (DynamicCustomOp) op;
    double[] t = mm.tArgs();
    if (t.length > 0 && (t[0] != 1.0 || (t.length > 1 && t[1] != 0.0))) {
      throw new UnsupportedOpException(
          "matmul '"
              + op.getOwnName()
              + "' with alpha/beta "
              + Arrays.toString(t)
              + " is not supported");
    }
    long[] flags = c.iArgs(op);
    c.matmul(
        op,
        "",
        c.in(op, 0),
        flags.length > 0 && flags[0] != 0,
        c.in(op, 1),
        flags.length > 1 && flags[1] != 0,
        flags.length > 2 && flags[2] != 0,
        c.out(op, 0));
  }

  private static void oneHot(ExportContext c, DifferentialFunction op) {
    long axis = c.iArg(op, 0);
    long depth = c.iArg(op, 1);
    double[] t = ((DynamicCustomOp) op).tArgs();
    float on = t.length > 0 ? (float) t[0] : 1f;
    float off = t.length > 1 ? (float) t[1] : 0f;
    String indices = c.temp(op, "indices");
    c.node("Cast", op, new String[] {c.in(op, 0)}, indices)
        .addAttribute(intAttr("to", TensorProto.DataType.INT64_VALUE));
    String offOn =
        c.b().floatTensor(op.getOwnName() + "/off_on", new long[] {2}, new float[] {off, on});
    c.node("OneHot", op, new String[] {indices, c.int64s(op, "depth", depth), offOn}, c.out(op, 0))
        .addAttribute(intAttr("axis", axis));
  }

  private static void reshape(ExportContext c, DifferentialFunction op) {
    if (op.args().length == 2) {
      c.b().node("Reshape", op.getOwnName(), new String[] {c.in(op, 0), c.in(op, 1)}, c.out(op, 0));
      return;
    }
    if (op.args().length != 1) {
      throw new UnsupportedOpException(
          "reshape '" + op.getOwnName() + "' with " + op.args().length + " inputs");
    }
    long[] i = c.iArgs(op);
    if (i.length == 0 || (i[0] != -'c' && i[0] != -'f')) {
      throw new UnsupportedOpException("reshape '" + op.getOwnName() + "' without a static shape");
    }
    if (i[0] == -'f') {
      throw new UnsupportedOpException("reshape '" + op.getOwnName() + "' in 'f' order");
    }
    String shape =
        c.b().int64Tensor(op.getOwnName() + "/shape", Arrays.copyOfRange(i, 1, i.length));
    c.b().node("Reshape", op.getOwnName(), new String[] {c.in(op, 0), shape}, c.out(op, 0));
  }

  private static void split(ExportContext c, DifferentialFunction op) {
    long[] i = c.iArgs(op);
    int parts = (int) i[0];
    int axis = (int) i[1];
    long[] shape = c.shape(c.in(op, 0));
    int ax = axis < 0 ? axis + shape.length : axis;
    long[] sizes = new long[parts];
    Arrays.fill(sizes, shape[ax] / parts);
    String split = c.b().int64Tensor(op.getOwnName() + "/split", sizes);
    c.b()
        .node("Split", op.getOwnName(), new String[] {c.in(op, 0), split}, c.outs(op))
        .addAttribute(intAttr("axis", axis));
  }

  private static void slice(ExportContext c, DifferentialFunction op) {
    long[] i = c.iArgs(op);
    int rank = i.length / 2;
    long[] starts = Arrays.copyOfRange(i, 0, rank);
    long[] ends = new long[rank];
    long[] axes = new long[rank];
    for (int d = 0; d < rank; d++) {
      long size = i[rank + d];
      ends[d] = size == -1 ? Long.MAX_VALUE : starts[d] + size;
      axes[d] = d;
    }
    String name = op.getOwnName();
    c.b()
        .node(
            "Slice",
            name,
            new String[] {
              c.in(op, 0),
              c.b().int64Tensor(name + "/starts", starts),
              c.b().int64Tensor(name + "/ends", ends),
              c.b().int64Tensor(name + "/axes", axes)
            },
            c.out(op, 0));
  }

  /** Reduction axes of a reduce op (empty: all axes). */
  static long[] axes(DifferentialFunction op) {
    int[] dims = ((BaseReduceOp) op).getDimensions();
    return dims == null ? new long[0] : Arrays.stream(dims).asLongStream().toArray();
  }

  /** The scalar of a scalar op, as a double. */
  static double scalarOf(DifferentialFunction op) {
    return ((BaseScalarOp) op).scalar().getDouble(0);
  }
}
