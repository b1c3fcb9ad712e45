package dev.vitmae.export;

import java.util.List;
import org.nd4j.autodiff.functions.DifferentialFunction;

/**
 * Translates one SameDiff op (by {@code opName()}) into ONNX nodes: the exporter's extension point
 * for ops the built-in registry ({@link OnnxOp}) does not cover, or to replace a built-in
 * translation. Pass translators in {@link ExportRequest#translators()}; they are consulted before
 * the registry.
 *
 * <pre>{@code
 * OnnxTranslator tanh = OnnxTranslator.of("tanh", (c, op) -> c.node("Tanh", op, c.in(op, 0)));
 * }</pre>
 *
 * <p>Nodes are checked against {@link OnnxOperator#STANDARD} plus {@link #operators()}.
 */
public interface OnnxTranslator {
  /** The SameDiff op name translated, as {@code DifferentialFunction.opName()} returns it. */
  String sameDiffOp();

  /** Writes {@code op} through {@code context}; the node outputs must be the op's outputs. */
  void translate(ExportContext context, DifferentialFunction op);

  /** Specs of ONNX operators outside {@link OnnxOperator#STANDARD} that this translator emits. */
  default List<OnnxOperator> operators() {
    return List.of();
  }

  /** What a translator does with one op. */
  @FunctionalInterface
  interface Body {
    void translate(ExportContext context, DifferentialFunction op);
  }

  /** A translator of {@code sameDiffOp} that runs {@code body}. */
  static OnnxTranslator of(String sameDiffOp, Body body) {
    return new OnnxTranslator() {
      @Override
      public String sameDiffOp() {
        return sameDiffOp;
      }

      @Override
      public void translate(ExportContext context, DifferentialFunction op) {
        body.translate(context, op);
      }
    };
  }
}
