package dev.vitmae.export;

import dev.vitmae.export.onnx.OnnxProto.AttributeProto;
import dev.vitmae.export.onnx.OnnxProto.NodeProto;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The target side of a translation: what an ONNX operator of the default domain accepts — input and
 * output counts, attribute names, the first opset that has it in this form. Every node the exporter
 * writes is checked against its spec before ONNX Runtime sees the model (as Tribuo's {@code
 * ONNXOperators} does), so a translator that emits a wrong arity or a misspelled attribute fails at
 * export with the node named.
 *
 * @param maxInputs {@link #UNBOUNDED} for variadic operators (likewise {@code maxOutputs})
 */
public record OnnxOperator(
    String opType,
    int minInputs,
    int maxInputs,
    int minOutputs,
    int maxOutputs,
    Set<String> attributes,
    int sinceOpset) {
  public static final int UNBOUNDED = Integer.MAX_VALUE;

  public OnnxOperator {
    if (opType == null || opType.isBlank()) throw new IllegalArgumentException("no opType");
    if (minInputs < 0 || maxInputs < minInputs || minOutputs < 1 || maxOutputs < minOutputs) {
      throw new IllegalArgumentException(
          opType
              + ": bad arity "
              + minInputs
              + ".."
              + maxInputs
              + " -> "
              + minOutputs
              + ".."
              + maxOutputs);
    }
    attributes = Set.copyOf(attributes);
  }

  private static OnnxOperator op(String type, int in, int out, String... attrs) {
    return new OnnxOperator(type, in, in, out, out, Set.of(attrs), 1);
  }

  private static OnnxOperator op(
      String type, int minIn, int maxIn, int minOut, int maxOut, int since, String... attrs) {
    return new OnnxOperator(type, minIn, maxIn, minOut, maxOut, Set.of(attrs), since);
  }

  /**
   * The operators vitmae's registry emits, plus common ones a custom translator may need, as
   * defined at opsets 17–21 (ONNX operator docs).
   */
  public static final Map<String, OnnxOperator> STANDARD =
      Stream.of(
              op("Add", 2, 1),
              op("Sub", 2, 1),
              op("Mul", 2, 1),
              op("Div", 2, 1),
              op("Pow", 2, 1),
              op("Max", 1, UNBOUNDED, 1, 1, 1),
              op("Min", 1, UNBOUNDED, 1, 1, 1),
              op("Erf", 1, 1),
              op("Exp", 1, 1),
              op("Log", 1, 1),
              op("Neg", 1, 1),
              op("Sqrt", 1, 1),
              op("Abs", 1, 1),
              op("Sign", 1, 1),
              op("Greater", 2, 1),
              op("Size", 1, 1),
              op("Pad", 2, 4, 1, 1, 1, "mode"),
              op("ArgMax", 1, 1, "axis", "keepdims", "select_last_index"),
              op("OneHot", 3, 1, "axis"),
              op("ReduceProd", 1, 2, 1, 1, 1, "axes", "keepdims", "noop_with_empty_axes"),
              op("Reciprocal", 1, 1),
              op("Identity", 1, 1),
              op("Relu", 1, 1),
              op("Sigmoid", 1, 1),
              op("HardSigmoid", 1, 1, "alpha", "beta"),
              op("Tanh", 1, 1),
              op("Softmax", 1, 1, "axis"),
              op("Gelu", 1, 1, 1, 1, 20, "approximate"),
              op("Cast", 1, 1, "to", "saturate"),
              op("MatMul", 2, 1),
              op("Gemm", 2, 3, 1, 1, 1, "alpha", "beta", "transA", "transB"),
              op("Transpose", 1, 1, "perm"),
              op("Reshape", 2, 1, "allowzero"),
              op("Unsqueeze", 2, 1),
              op("Squeeze", 1, 2, 1, 1, 1),
              op("Expand", 2, 1),
              op("ReduceMean", 1, 2, 1, 1, 1, "axes", "keepdims", "noop_with_empty_axes"),
              op("ReduceMax", 1, 2, 1, 1, 1, "axes", "keepdims", "noop_with_empty_axes"),
              op("ReduceSum", 1, 2, 1, 1, 13, "keepdims", "noop_with_empty_axes"),
              op("Concat", 1, UNBOUNDED, 1, 1, 1, "axis"),
              op("Split", 1, 2, 1, UNBOUNDED, 1, "axis", "num_outputs"),
              op("Slice", 3, 5, 1, 1, 10),
              op("Gather", 2, 1, "axis"),
              op("Where", 3, 1),
              op("Shape", 1, 1, 1, 1, 1, "start", "end"),
              op("ConstantOfShape", 1, 1, "value"),
              op("LayerNormalization", 2, 3, 1, 3, 17, "axis", "epsilon", "stash_type"))
          .collect(Collectors.toUnmodifiableMap(OnnxOperator::opType, Function.identity()));

  /** ONNX Runtime's own domain, for graphs that only ONNX Runtime runs (training steps). */
  public static final String ONNX_RUNTIME_DOMAIN = "com.microsoft";

  /**
   * The operators of {@link #ONNX_RUNTIME_DOMAIN} vitmae writes into graphs only ONNX Runtime runs
   * (its inference build's contrib ops, domain version 1): {@code FusedMatMul}, a batched matrix
   * product that transposes either operand's last two axes inside the kernel.
   */
  public static final Map<String, OnnxOperator> ONNX_RUNTIME =
      Stream.of(
              op(
                  "FusedMatMul",
                  2,
                  2,
                  1,
                  1,
                  1,
                  "alpha",
                  "transA",
                  "transB",
                  "transBatchA",
                  "transBatchB"))
          .collect(Collectors.toUnmodifiableMap(OnnxOperator::opType, Function.identity()));

  /**
   * Checks {@code node} against this spec at {@code opset}.
   *
   * @throws UnsupportedOpException naming the node, what it has and what the operator takes
   */
  public void check(NodeProto node, int opset) {
    String where = "ONNX node '" + node.getName() + "' (" + opType + ")";
    if (opset < sinceOpset) {
      throw new UnsupportedOpException(
          where + " needs opset " + sinceOpset + ", exporting " + opset);
    }
    if (node.getInputCount() < minInputs || node.getInputCount() > maxInputs) {
      throw new UnsupportedOpException(
          where + " takes " + range(minInputs, maxInputs) + " inputs, got " + node.getInputCount());
    }
    if (node.getOutputCount() < minOutputs || node.getOutputCount() > maxOutputs) {
      throw new UnsupportedOpException(
          where
              + " has "
              + range(minOutputs, maxOutputs)
              + " outputs, got "
              + node.getOutputCount());
    }
    for (AttributeProto a : node.getAttributeList()) {
      if (!attributes.contains(a.getName())) {
        throw new UnsupportedOpException(
            where
                + " has no attribute '"
                + a.getName()
                + "'; it takes "
                + (attributes.isEmpty() ? "none" : new TreeSet<>(attributes)));
      }
    }
  }

  private static String range(int min, int max) {
    return min == max
        ? Integer.toString(min)
        : max == UNBOUNDED ? min + " or more" : min + ".." + max;
  }
}
