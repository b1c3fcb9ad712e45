package dev.vitmae.export;

import static dev.vitmae.export.OnnxGraphBuilder.intAttr;

import dev.vitmae.export.onnx.OnnxProto.TensorProto;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.linalg.api.ops.BaseScalarOp;
import org.nd4j.linalg.api.ops.DynamicCustomOp;

/**
 * Translations of the ops in SameDiff 1.0.0-M2.1's gradient functions ({@code *_bp} and the plain
 * ops only backward passes use) into standard ONNX: the registry entries ({@link OnnxOp}) that make
 * a whole training step exportable. Each follows the M2.1 kernel's semantics (see the shared
 * training notes), checked numerically against it by {@code BackpropOpsTest}.
 *
 * <p>Shapes: the step graph is probed at two batch sizes, so a translation knows which dimensions
 * follow the batch ({@link ExportContext#varies}); constants derived from those dimensions are
 * computed in the graph from {@code Shape}, the rest are written as constants.
 */
final class BackpropOps {
  private BackpropOps() {}

  /**
   * {@code add_bp(x, y, g) → (gx, gy)}: g summed over the axes each operand was broadcast along.
   */
  static void addBp(ExportContext c, DifferentialFunction op) {
    String g = c.in(op, 2);
    sumTo(c, op, g, c.in(op, 0), c.out(op, 0));
    sumTo(c, op, g, c.in(op, 1), c.out(op, 1));
  }

  /** {@code subtract_bp}: as {@link #addBp}, the second gradient negated. */
  static void subtractBp(ExportContext c, DifferentialFunction op) {
    String g = c.in(op, 2);
    sumTo(c, op, g, c.in(op, 0), c.out(op, 0));
    String gy = c.temp(op, "gy");
    sumTo(c, op, g, c.in(op, 1), gy);
    c.node("Neg", op, new String[] {gy}, c.out(op, 1));
  }

  /** {@code multiply_bp}: {@code gx = Σ(g·y)}, {@code gy = Σ(g·x)}. */
  static void multiplyBp(ExportContext c, DifferentialFunction op) {
    String x = c.in(op, 0);
    String y = c.in(op, 1);
    String g = c.in(op, 2);
    String gxFull = c.temp(op, "g_y");
    c.node("Mul", op, new String[] {g, y}, gxFull);
    sumTo(c, op, gxFull, g, x, c.out(op, 0));
    String gyFull = c.temp(op, "g_x");
    c.node("Mul", op, new String[] {g, x}, gyFull);
    sumTo(c, op, gyFull, g, y, c.out(op, 1));
  }

  /** {@code divide_bp}: {@code gx = Σ(g/y)}, {@code gy = Σ(−g·x/y²)}. */
  static void divideBp(ExportContext c, DifferentialFunction op) {
    String x = c.in(op, 0);
    String y = c.in(op, 1);
    String g = c.in(op, 2);
    String gOverY = c.temp(op, "g_over_y");
    c.node("Div", op, new String[] {g, y}, gOverY);
    sumTo(c, op, gOverY, g, x, c.out(op, 0));
    String gx = c.temp(op, "g_x");
    c.node("Mul", op, new String[] {g, x}, gx);
    String y2 = c.temp(op, "y2");
    c.node("Mul", op, new String[] {y, y}, y2);
    String q = c.temp(op, "quotient");
    c.node("Div", op, new String[] {gx, y2}, q);
    String neg = c.temp(op, "neg");
    c.node("Neg", op, new String[] {q}, neg);
    sumTo(c, op, neg, g, y, c.out(op, 1));
  }

  /**
   * {@code matmul_bp(x, y, g)}, iArgs {@code [tX, tY, tZ]}: {@code gx = mm(g, y; tZ, !tY, tX)},
   * {@code gy = mm(x, g; !tX, tZ, tY)}, where {@code mm(a, b; ta, tb, tr)} transposes a, b and the
   * product as flagged.
   */
  static void matmulBp(ExportContext c, DifferentialFunction op) {
    long[] f = c.iArgs(op);
    boolean tx = f.length > 0 && f[0] != 0;
    boolean ty = f.length > 1 && f[1] != 0;
    boolean tz = f.length > 2 && f[2] != 0;
    String x = c.in(op, 0);
    String y = c.in(op, 1);
    String g = c.in(op, 2);
    c.matmul(op, "gx/", g, tz, y, !ty, tx, c.out(op, 0));
    c.matmul(op, "gy/", x, !tx, g, tz, ty, c.out(op, 1));
  }

  /**
   * {@code softmax_bp(x, g)}, iArgs {@code [dim]}: {@code y·(g − Σ_dim(g·y))} with {@code y =
   * softmax(x)} (an identical Softmax node to the forward one, which ONNX Runtime's common
   * subexpression elimination merges).
   */
  static void softmaxBp(ExportContext c, DifferentialFunction op) {
    String x = c.in(op, 0);
    String g = c.in(op, 1);
    long axis = c.iArg(op, 0);
    String y = c.temp(op, "softmax");
    c.node("Softmax", op, new String[] {x}, y).addAttribute(intAttr("axis", axis));
    String gy = c.temp(op, "g_y");
    c.node("Mul", op, new String[] {g, y}, gy);
    String sum = c.temp(op, "sum");
    c.node("ReduceSum", op, new String[] {gy, c.int64s(op, "axes", axis)}, sum)
        .addAttribute(intAttr("keepdims", 1));
    String diff = c.temp(op, "diff");
    c.node("Sub", op, new String[] {g, sum}, diff);
    c.node("Mul", op, new String[] {y, diff}, c.out(op, 0));
  }

  /** {@code reduce_sum_bp(x, g)}: g broadcast back to x's shape. */
  static void reduceSumBp(ExportContext c, DifferentialFunction op) {
    c.node(
        "Expand", op, new String[] {unreduced(c, op), shapeOf(c, op, c.in(op, 0))}, c.out(op, 0));
  }

  /**
   * {@code reduce_mean_bp(x, g)}: g divided by the count reduced, then broadcast back to x's shape
   * (dividing before the broadcast reads and writes the reduced tensor, not x's).
   */
  static void reduceMeanBp(ExportContext c, DifferentialFunction op) {
    String x = c.in(op, 0);
    String shape = shapeOf(c, op, x);
    long[] axes = reducedAxes(c, op);
    boolean dynamic = false;
    long count = 1;
    for (long a : axes) {
      dynamic |= c.varies(x, (int) a);
      count *= c.shape(x)[(int) a];
    }
    String scaled = c.temp(op, "scaled");
    if (!dynamic) {
      c.node(
          "Mul",
          op,
          new String[] {unreduced(c, op), c.scalar(op, "inverse_count", 1.0 / count)},
          scaled);
    } else {
      String dims = c.temp(op, "dims");
      c.node("Gather", op, new String[] {shape, c.int64s(op, "axes", axes)}, dims)
          .addAttribute(intAttr("axis", 0));
      String n = c.temp(op, "count");
      c.node("ReduceProd", op, new String[] {dims}, n).addAttribute(intAttr("keepdims", 0));
      String nf = c.temp(op, "count_float");
      c.node("Cast", op, new String[] {n}, nf)
          .addAttribute(intAttr("to", TensorProto.DataType.FLOAT_VALUE));
      c.node("Div", op, new String[] {unreduced(c, op), nf}, scaled);
    }
    c.node("Expand", op, new String[] {scaled, shape}, c.out(op, 0));
  }

  /**
   * {@code reduce_max_bp(x, g)} over one axis: the whole gradient goes to the first maximum of each
   * slice ({@code ArgMax} picks the first), ties get nothing.
   */
  static void reduceMaxBp(ExportContext c, DifferentialFunction op) {
    String x = c.in(op, 0);
    long[] axes = reducedAxes(c, op);
    if (axes.length != 1) {
      throw new UnsupportedOpException(
          "reduce_max_bp '"
              + op.getOwnName()
              + "' over "
              + axes.length
              + " axes (one is supported)");
    }
    long axis = axes[0];
    String arg = c.temp(op, "argmax");
    c.node("ArgMax", op, new String[] {x}, arg)
        .addAttribute(intAttr("axis", axis))
        .addAttribute(intAttr("keepdims", 0))
        .addAttribute(intAttr("select_last_index", 0));
    String hot = c.temp(op, "one_hot");
    c.node(
            "OneHot",
            op,
            new String[] {
              arg,
              c.int64s(op, "depth", c.shape(x)[(int) axis]),
              c.b().floatTensor(op.getOwnName() + "/off_on", new long[] {2}, new float[] {0, 1})
            },
            hot)
        .addAttribute(intAttr("axis", axis));
    c.node("Mul", op, new String[] {unreduced(c, op), hot}, c.out(op, 0));
  }

  /** {@code concat_bp(x1 … xk, g)}, iArgs {@code [axis]}: g split back into the inputs' sizes. */
  static void concatBp(ExportContext c, DifferentialFunction op) {
    String[] in = c.inputs(op);
    int k = in.length - 1;
    long axis = c.iArg(op, 0);
    int ax = (int) (axis < 0 ? axis + c.rank(in[0]) : axis);
    long[] sizes = new long[k];
    boolean dynamic = false;
    for (int i = 0; i < k; i++) {
      dynamic |= c.varies(in[i], ax);
      sizes[i] = c.shape(in[i])[ax];
    }
    String split;
    if (!dynamic) {
      split = c.int64s(op, "split", sizes);
    } else {
      // Sizes along a batch-dependent axis come from the inputs' shapes at run time.
      String[] parts = new String[k];
      String index = c.int64s(op, "axis_index", ax);
      for (int i = 0; i < k; i++) {
        parts[i] = c.temp(op, "size" + i);
        c.node("Gather", op, new String[] {shapeOf(c, op, in[i]), index}, parts[i])
            .addAttribute(intAttr("axis", 0));
      }
      split = c.temp(op, "split");
      c.node("Concat", op, parts, split).addAttribute(intAttr("axis", 0));
    }
    c.node("Split", op, new String[] {in[k], split}, c.outs(op)).addAttribute(intAttr("axis", ax));
  }

  /**
   * {@code slice_bp(x, g)}, iArgs {@code [begin…, size…]} (size −1: to the end): g padded with
   * zeros back to x's shape.
   */
  static void sliceBp(ExportContext c, DifferentialFunction op) {
    String x = c.in(op, 0);
    long[] i = c.iArgs(op);
    int rank = i.length / 2;
    long[] shape = c.shape(x);
    long[] pads = new long[2 * rank];
    for (int d = 0; d < rank; d++) {
      long begin = i[d];
      long size = i[rank + d];
      long end = size == -1 ? shape[d] : begin + size;
      if (c.varies(x, d) && (begin != 0 || size != -1)) {
        throw new UnsupportedOpException(
            "slice_bp '" + op.getOwnName() + "' slices the batch axis " + d);
      }
      pads[d] = begin;
      pads[rank + d] = shape[d] - end;
    }
    c.node("Pad", op, new String[] {c.in(op, 1), c.int64s(op, "pads", pads)}, c.out(op, 0));
  }

  /** {@code thresholdedrelu_bp(x, g)}, tArgs {@code [t]}: {@code g} where {@code x > t}, else 0. */
  static void thresholdedReluBp(ExportContext c, DifferentialFunction op) {
    double[] t = ((DynamicCustomOp) op).tArgs();
    double threshold = t.length > 0 ? t[0] : 0;
    String above = c.temp(op, "above");
    c.node("Greater", op, new String[] {c.in(op, 0), c.scalar(op, "threshold", threshold)}, above);
    c.node("Where", op, new String[] {above, c.in(op, 1), c.scalar(op, "zero", 0)}, c.out(op, 0));
  }

  /** {@code pow}: the legacy scalar op (exponent in the op) or the pairwise one. */
  static void pow(ExportContext c, DifferentialFunction op) {
    if (op instanceof BaseScalarOp) {
      c.node("Pow", op, c.in(op, 0), c.scalar(op, "exponent", OnnxOp.scalarOf(op)));
    } else if (op.args().length == 2) {
      c.node("Pow", op, c.in(op, 0), c.in(op, 1));
    } else {
      double[] extra = op.getExtraArgs() == null ? new double[0] : toDoubles(op.getExtraArgs());
      if (extra.length == 0) {
        throw new UnsupportedOpException("pow '" + op.getOwnName() + "' without an exponent");
      }
      c.node("Pow", op, c.in(op, 0), c.scalar(op, "exponent", extra[0]));
    }
  }

  private static double[] toDoubles(Object[] extra) {
    List<Double> out = new ArrayList<>();
    for (Object o : extra) if (o instanceof Number n) out.add(n.doubleValue());
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** {@code _powderivative(x)} (square's and pow's gradient), exponent p in the op: p·x^(p−1). */
  static void powDerivative(ExportContext c, DifferentialFunction op) {
    double[] extra = op.getExtraArgs() == null ? new double[0] : toDoubles(op.getExtraArgs());
    if (extra.length == 0) {
      throw new UnsupportedOpException("_powderivative '" + op.getOwnName() + "' without a power");
    }
    double p = extra[0];
    String x = c.in(op, 0);
    String base = x;
    if (p - 1 != 1) {
      base = c.temp(op, "power");
      c.node("Pow", op, new String[] {x, c.scalar(op, "exponent", p - 1)}, base);
    }
    c.node("Mul", op, base, c.scalar(op, "factor", p));
  }

  /** {@code ones_as(x)}: ones of x's shape. */
  static void onesAs(ExportContext c, DifferentialFunction op) {
    TensorProto one =
        TensorProto.newBuilder()
            .setName("one")
            .addDims(1)
            .setDataType(TensorProto.DataType.FLOAT_VALUE)
            .addFloatData(1f)
            .build();
    c.node("ConstantOfShape", op, new String[] {shapeOf(c, op, c.in(op, 0))}, c.out(op, 0))
        .addAttribute(OnnxGraphBuilder.tensorAttr("value", one));
  }

  /** {@code shape_of(x)}: int64 shape (read only by {@code reshape}'s shape input). */
  static void shapeOfOp(ExportContext c, DifferentialFunction op) {
    c.node("Shape", op, c.in(op, 0));
  }

  /** g with the reduced axes re-inserted (when the forward dropped them), ready to broadcast. */
  private static String unreduced(ExportContext c, DifferentialFunction op) {
    String g = c.in(op, 1);
    long[] axes = reducedAxes(c, op);
    boolean keepDims = keepDims(op);
    if (keepDims || axes.length == 0 || c.rank(g) == c.rank(c.in(op, 0))) return g;
    String u = c.temp(op, "unsqueezed");
    c.node("Unsqueeze", op, new String[] {g, c.int64s(op, "unsqueeze_axes", axes)}, u);
    return u;
  }

  /** Reduced axes of a legacy reduce bp op (iArgs), normalised; empty iArgs: every axis. */
  private static long[] reducedAxes(ExportContext c, DifferentialFunction op) {
    int rank = c.rank(c.in(op, 0));
    long[] dims = c.iArgs(op);
    if (dims.length == 0) {
      long[] all = new long[rank];
      for (int d = 0; d < rank; d++) all[d] = d;
      return all;
    }
    long[] axes = Arrays.stream(dims).map(d -> d < 0 ? d + rank : d).sorted().distinct().toArray();
    return axes;
  }

  private static boolean keepDims(DifferentialFunction op) {
    boolean[] b = op instanceof DynamicCustomOp d ? d.bArgs() : new boolean[0];
    return b.length > 0 && b[0];
  }

  private static String shapeOf(ExportContext c, DifferentialFunction op, String value) {
    String s = c.temp(op, "shape_of/" + value);
    c.node("Shape", op, new String[] {value}, s);
    return s;
  }

  /**
   * Writes {@code g} summed down to {@code operand}'s shape into {@code out}: over the leading axes
   * the operand lacks and the axes where it has 1 and g does not (or g's dimension follows the
   * batch), then reshaped to the operand's shape when ranks differ.
   */
  private static void sumTo(
      ExportContext c, DifferentialFunction op, String g, String operand, String out) {
    sumTo(c, op, g, g, operand, out);
  }

  /** {@link #sumTo} of a value shaped like {@code like} (a probed value of the same shape). */
  private static void sumTo(
      ExportContext c, DifferentialFunction op, String g, String like, String operand, String out) {
    long[] gs = c.shape(like);
    long[] os = c.shape(operand);
    int lead = gs.length - os.length;
    List<Long> axes = new ArrayList<>();
    for (int d = 0; d < gs.length; d++) {
      if (d < lead) axes.add((long) d);
      else if (os[d - lead] == 1 && (gs[d] != 1 || c.varies(like, d))) axes.add((long) d);
    }
    if (axes.isEmpty()) {
      c.node("Identity", op, new String[] {g}, out);
      return;
    }
    long[] a = axes.stream().mapToLong(Long::longValue).toArray();
    String sum = lead > 0 ? c.temp(op, "sum") : out;
    c.node("ReduceSum", op, new String[] {g, c.int64s(op, "sum_axes", a)}, sum)
        .addAttribute(intAttr("keepdims", 1));
    if (lead > 0) c.node("Reshape", op, new String[] {sum, shapeOf(c, op, operand)}, out);
  }
}
