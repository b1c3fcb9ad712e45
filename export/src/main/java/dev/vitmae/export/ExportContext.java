package dev.vitmae.export;

import java.util.Map;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.linalg.api.ops.BaseReduceOp;
import org.nd4j.linalg.api.ops.DynamicCustomOp;

/**
 * What a registry entry needs while writing one op: the graph builder, the opset, and the
 * shape of every value (probed by running the SameDiff graph once at a small batch).
 */
final class ExportContext {
  private final OnnxGraphBuilder builder;
  private final int opset;
  private final Map<String, long[]> shapes;

  ExportContext(OnnxGraphBuilder builder, int opset, Map<String, long[]> shapes) {
    this.builder = builder;
    this.opset = opset;
    this.shapes = shapes;
  }

  OnnxGraphBuilder b() {
    return builder;
  }

  String in(DifferentialFunction op, int i) {
    return op.argNames()[i];
  }

  String[] inputs(DifferentialFunction op) {
    return op.argNames();
  }

  String out(DifferentialFunction op, int i) {
    return op.outputVariablesNames()[i];
  }

  String[] outs(DifferentialFunction op) {
    return op.outputVariablesNames();
  }

  /** A fresh intermediate value name owned by {@code op}. */
  String temp(DifferentialFunction op, String what) {
    return builder.unique(op.getOwnName() + "/" + what);
  }

  long[] iArgs(DifferentialFunction op) {
    return op instanceof DynamicCustomOp d ? d.iArgs() : new long[0];
  }

  long iArg(DifferentialFunction op, int i) {
    long[] a = iArgs(op);
    if (a.length <= i) {
      throw new UnsupportedOpException(op.opName() + " '" + op.getOwnName() + "' lacks integer argument " + i);
    }
    return a[i];
  }

  long[] shape(String value) {
    long[] s = shapes.get(value);
    if (s == null) throw new IllegalStateException("no probed shape for '" + value + "'");
    return s;
  }

  int rank(String value) {
    return shape(value).length;
  }

  void unary(String onnx, DifferentialFunction op) {
    builder.node(onnx, op.getOwnName(), new String[] {in(op, 0)}, out(op, 0));
  }

  void binary(String onnx, DifferentialFunction op) {
    builder.node(onnx, op.getOwnName(), new String[] {in(op, 0), in(op, 1)}, out(op, 0));
  }

  /** {@code x ∘ s}, or {@code s ∘ x} when {@code reversed}, with the op's scalar as a constant. */
  void withScalar(String onnx, DifferentialFunction op, boolean reversed) {
    String s = builder.scalar(op.getOwnName() + "/scalar", OnnxOp.scalarOf(op));
    String x = in(op, 0);
    builder.node(onnx, op.getOwnName(), reversed ? new String[] {s, x} : new String[] {x, s}, out(op, 0));
  }

  /** A reduction whose axes move from attribute to input at {@code axesInputSince}. */
  void reduce(String onnx, DifferentialFunction op, int axesInputSince) {
    long[] axes = OnnxOp.axes(op);
    boolean keep = ((BaseReduceOp) op).isKeepDims();
    var node = opset >= axesInputSince && axes.length > 0
        ? builder.node(onnx, op.getOwnName(), new String[] {in(op, 0),
            builder.int64Tensor(op.getOwnName() + "/axes", axes)}, out(op, 0))
        : builder.node(onnx, op.getOwnName(), new String[] {in(op, 0)}, out(op, 0));
    if (axes.length > 0 && opset < axesInputSince) node.addAttribute(OnnxGraphBuilder.ints("axes", axes));
    node.addAttribute(OnnxGraphBuilder.intAttr("keepdims", keep ? 1 : 0));
  }

  /** Input {@code i} of {@code op} with its last two axes swapped. */
  String swapLastTwo(DifferentialFunction op, int i, String what) {
    String t = temp(op, what);
    builder.node("Transpose", op.getOwnName(), new String[] {in(op, i)}, t)
        .addAttribute(OnnxGraphBuilder.ints("perm", swapLastTwoPerm(rank(in(op, i)))));
    return t;
  }

  static long[] swapLastTwoPerm(int rank) {
    long[] perm = new long[rank];
    for (int d = 0; d < rank; d++) perm[d] = d;
    perm[rank - 2] = rank - 1;
    perm[rank - 1] = rank - 2;
    return perm;
  }
}
