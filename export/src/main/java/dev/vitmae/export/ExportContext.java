package dev.vitmae.export;

import dev.vitmae.export.onnx.OnnxProto.AttributeProto;
import dev.vitmae.export.onnx.OnnxProto.NodeProto;
import java.util.Map;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.linalg.api.ops.BaseReduceOp;
import org.nd4j.linalg.api.ops.DynamicCustomOp;

/**
 * What a translator needs while writing one op: node and constant writers, the opset, the value
 * names of the op's inputs and outputs, and the shape of every value (probed by running the
 * SameDiff graph once at a small batch). Given to {@link OnnxTranslator}s.
 */
public final class ExportContext {
  private final OnnxGraphBuilder builder;
  private final int opset;
  private final Map<String, long[]> shapes;
  private final Map<String, long[]> shapesAtOtherBatch;
  private final boolean onnxRuntimeOnly;

  ExportContext(
      OnnxGraphBuilder builder,
      int opset,
      Map<String, long[]> shapes,
      Map<String, long[]> shapesAtOtherBatch,
      boolean onnxRuntimeOnly) {
    this.builder = builder;
    this.opset = opset;
    this.shapes = shapes;
    this.shapesAtOtherBatch = shapesAtOtherBatch;
    this.onnxRuntimeOnly = onnxRuntimeOnly;
  }

  /**
   * Whether the graph is written for ONNX Runtime alone (a training step, the engine's forward
   * graphs), so its contrib operators ({@link OnnxOperator#ONNX_RUNTIME}) may be used; models users
   * serve anywhere are standard ONNX.
   */
  public boolean onnxRuntimeOnly() {
    return onnxRuntimeOnly;
  }

  /**
   * Writes {@code out = tr(ta(a) · tb(b))}, where {@code ta}, {@code tb}, {@code tr} swap the last
   * two axes. Standard ONNX spells the transposes as {@code Transpose} nodes; a graph for ONNX
   * Runtime alone writes one {@code FusedMatMul} that transposes inside the kernel ({@code tr} by
   * {@code (AB)ᵀ = BᵀAᵀ}), which also keeps ONNX Runtime from merging a transpose into a head
   * permutation that no kernel can absorb.
   */
  void matmul(
      DifferentialFunction op,
      String what,
      String a,
      boolean ta,
      String b,
      boolean tb,
      boolean tr,
      String out) {
    if (onnxRuntimeOnly && (ta || tb || tr)) {
      String[] inputs = tr ? new String[] {b, a} : new String[] {a, b};
      builder
          .node("FusedMatMul", op.getOwnName(), inputs, out)
          .setDomain(OnnxOperator.ONNX_RUNTIME_DOMAIN)
          .addAttribute(OnnxGraphBuilder.intAttr("transA", (tr ? !tb : ta) ? 1 : 0))
          .addAttribute(OnnxGraphBuilder.intAttr("transB", (tr ? !ta : tb) ? 1 : 0));
      return;
    }
    String left = ta ? transposed(op, a, what + "a_t") : a;
    String right = tb ? transposed(op, b, what + "b_t") : b;
    if (!tr) {
      builder.node("MatMul", op.getOwnName(), new String[] {left, right}, out);
      return;
    }
    String product = temp(op, what + "product");
    builder.node("MatMul", op.getOwnName(), new String[] {left, right}, product);
    builder
        .node("Transpose", op.getOwnName(), new String[] {product}, out)
        .addAttribute(OnnxGraphBuilder.ints("perm", swapLastTwoPerm(Math.max(rank(out), 2))));
  }

  private String transposed(DifferentialFunction op, String v, String what) {
    String t = temp(op, what);
    builder
        .node("Transpose", op.getOwnName(), new String[] {v}, t)
        .addAttribute(OnnxGraphBuilder.ints("perm", swapLastTwoPerm(rank(v))));
    return t;
  }

  OnnxGraphBuilder b() {
    return builder;
  }

  /** The opset being written. */
  public int opset() {
    return opset;
  }

  /**
   * Appends node {@code opType} named after {@code op}, reading {@code inputs} and writing the op's
   * first output; returns it for attributes.
   */
  public NodeProto.Builder node(String opType, DifferentialFunction op, String... inputs) {
    return builder.node(opType, op.getOwnName(), inputs, out(op, 0));
  }

  /** Appends node {@code opType} with explicit outputs (e.g. a {@link #temp} value). */
  public NodeProto.Builder node(
      String opType, DifferentialFunction op, String[] inputs, String... outputs) {
    return builder.node(opType, op.getOwnName(), inputs, outputs);
  }

  /** A float32 scalar constant named after {@code op}; returns its value name. */
  public String scalar(DifferentialFunction op, String what, double value) {
    return builder.scalar(op.getOwnName() + "/" + what, value);
  }

  /** An int64 vector constant named after {@code op} (shapes, axes); returns its value name. */
  public String int64s(DifferentialFunction op, String what, long... values) {
    return builder.int64Tensor(op.getOwnName() + "/" + what, values);
  }

  /** An INT attribute. */
  public static AttributeProto intAttr(String name, long value) {
    return OnnxGraphBuilder.intAttr(name, value);
  }

  /** An INTS attribute. */
  public static AttributeProto intsAttr(String name, long... values) {
    return OnnxGraphBuilder.ints(name, values);
  }

  /** A FLOAT attribute. */
  public static AttributeProto floatAttr(String name, double value) {
    return OnnxGraphBuilder.floatAttr(name, value);
  }

  /** The value name of input {@code i} of {@code op}. */
  public String in(DifferentialFunction op, int i) {
    return op.argNames()[i];
  }

  public String[] inputs(DifferentialFunction op) {
    return op.argNames();
  }

  public String out(DifferentialFunction op, int i) {
    return op.outputVariablesNames()[i];
  }

  public String[] outs(DifferentialFunction op) {
    return op.outputVariablesNames();
  }

  /** A fresh intermediate value name owned by {@code op}. */
  public String temp(DifferentialFunction op, String what) {
    return builder.unique(op.getOwnName() + "/" + what);
  }

  public long[] iArgs(DifferentialFunction op) {
    return op instanceof DynamicCustomOp d ? d.iArgs() : new long[0];
  }

  public long iArg(DifferentialFunction op, int i) {
    long[] a = iArgs(op);
    if (a.length <= i) {
      throw new UnsupportedOpException(
          op.opName() + " '" + op.getOwnName() + "' lacks integer argument " + i);
    }
    return a[i];
  }

  public long[] shape(String value) {
    long[] s = shapes.get(value);
    if (s == null) throw new IllegalStateException("no probed shape for '" + value + "'");
    return s;
  }

  /** The probed shape of {@code value}, or null when it was not probed (a value added later). */
  long[] shapeOrNull(String value) {
    return shapes.get(value);
  }

  /** Records the shape of a value written without a SameDiff counterpart (e.g. an optimizer's). */
  void declareShape(String value, long[] shape) {
    shapes.put(value, shape);
  }

  /**
   * Whether dimension {@code axis} of {@code value} changes with the batch size (the graph was
   * probed at two batch sizes; a single-probe export treats the first dimension as the batch).
   */
  public boolean varies(String value, int axis) {
    long[] other = shapesAtOtherBatch.get(value);
    if (shapesAtOtherBatch == shapes || other == null) return axis == 0;
    return shape(value)[axis] != other[axis];
  }

  public int rank(String value) {
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
    builder.node(
        onnx, op.getOwnName(), reversed ? new String[] {s, x} : new String[] {x, s}, out(op, 0));
  }

  /** A reduction whose axes move from attribute to input at {@code axesInputSince}. */
  void reduce(String onnx, DifferentialFunction op, int axesInputSince) {
    long[] axes = OnnxOp.axes(op);
    int r = rank(in(op, 0));
    if (java.util.Arrays.stream(axes).anyMatch(a -> a >= r || a < -r)) axes = new long[0];
    boolean keep = ((BaseReduceOp) op).isKeepDims();
    reduce(onnx, op, in(op, 0), axes, keep, axesInputSince, op.getOwnName() + "/axes", out(op, 0));
  }

  /**
   * Reduction {@code onnx} of {@code x} over {@code axes} (every axis when empty) into {@code out}:
   * the axes an attribute before opset {@code axesInputSince}, from it an input named {@code
   * axesName}.
   */
  void reduce(
      String onnx,
      DifferentialFunction op,
      String x,
      long[] axes,
      boolean keep,
      int axesInputSince,
      String axesName,
      String out) {
    var node =
        opset >= axesInputSince && axes.length > 0
            ? builder.node(
                onnx, op.getOwnName(), new String[] {x, builder.int64Tensor(axesName, axes)}, out)
            : builder.node(onnx, op.getOwnName(), new String[] {x}, out);
    if (axes.length > 0 && opset < axesInputSince)
      node.addAttribute(OnnxGraphBuilder.ints("axes", axes));
    node.addAttribute(OnnxGraphBuilder.intAttr("keepdims", keep ? 1 : 0));
  }

  static long[] swapLastTwoPerm(int rank) {
    long[] perm = new long[rank];
    for (int d = 0; d < rank; d++) perm[d] = d;
    perm[rank - 2] = rank - 1;
    perm[rank - 1] = rank - 2;
    return perm;
  }
}
