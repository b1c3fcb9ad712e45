package dev.vitmae.export;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The exporter's extension point: a translator for an op the registry lacks, and the target-side
 * operator specs that every emitted node is checked against before ONNX Runtime sees it.
 */
class OnnxTranslatorTest {
  /** {@code out = tanh(x) + 1}: tanh is not in the built-in registry. */
  private static SameDiff graph() {
    SameDiff sd = SameDiff.create();
    SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 3);
    sd.identity("out", sd.math().tanh(x).add(1.0));
    return sd;
  }

  private static ExportRequest request(OnnxTranslator... translators) {
    return new ExportRequest("t", List.of("out"), 17, Map.of(), List.of(translators));
  }

  @Test
  void anOpOutsideTheRegistryIsRefusedWithTheSupportedList() {
    UnsupportedOpException e =
        assertThrows(UnsupportedOpException.class, () -> OnnxExporter.export(graph(), request()));
    assertTrue(
        e.getMessage().contains("'tanh'")
            && e.getMessage().contains("supported: " + OnnxOp.supported()),
        e.getMessage());
  }

  @Test
  void aTranslatorExportsItAndOnnxRuntimeAgrees() throws Exception {
    OnnxTranslator tanh = OnnxTranslator.of("tanh", (c, op) -> c.node("Tanh", op, c.in(op, 0)));
    SameDiff sd = graph();
    var model = OnnxExporter.export(sd, request(tanh));
    INDArray x = Nd4j.linspace(-3, 3, 12, DataType.FLOAT).reshape(4, 3);
    INDArray expected = sd.output(Map.of("x", x), "out").get("out");
    INDArray actual = OrtRunner.run(model, Map.of("x", x)).get("out");
    double diff = OrtRunner.maxAbsDiff(expected, actual);
    System.out.printf("translator parity tanh max|Δ| = %.3g%n", diff);
    assertTrue(diff <= 1e-6, "max |Δ| " + diff);
  }

  @Test
  void aNodeWithTheWrongArityIsRefusedAtExport() {
    OnnxTranslator twoInputs =
        OnnxTranslator.of("tanh", (c, op) -> c.node("Tanh", op, c.in(op, 0), c.in(op, 0)));
    UnsupportedOpException e =
        assertThrows(
            UnsupportedOpException.class, () -> OnnxExporter.export(graph(), request(twoInputs)));
    assertTrue(e.getMessage().contains("(Tanh) takes 1 inputs, got 2"), e.getMessage());
  }

  @Test
  void aMisspelledAttributeIsRefusedAtExport() {
    OnnxTranslator softmax =
        OnnxTranslator.of(
            "tanh",
            (c, op) ->
                c.node("Softmax", op, c.in(op, 0)).addAttribute(ExportContext.intAttr("axes", 1)));
    UnsupportedOpException e =
        assertThrows(
            UnsupportedOpException.class, () -> OnnxExporter.export(graph(), request(softmax)));
    assertTrue(e.getMessage().contains("has no attribute 'axes'; it takes [axis]"), e.getMessage());
  }

  @Test
  void anOperatorWithoutSpecMustBeDeclaredByItsTranslator() {
    OnnxTranslator custom =
        OnnxTranslator.of("tanh", (c, op) -> c.node("HardTanh", op, c.in(op, 0)));
    UnsupportedOpException e =
        assertThrows(
            UnsupportedOpException.class, () -> OnnxExporter.export(graph(), request(custom)));
    assertTrue(e.getMessage().contains("'HardTanh', which has no spec"), e.getMessage());

    OnnxTranslator declared =
        new OnnxTranslator() {
          public String sameDiffOp() {
            return "tanh";
          }

          public void translate(
              ExportContext c, org.nd4j.autodiff.functions.DifferentialFunction op) {
            c.node("HardTanh", op, c.in(op, 0));
          }

          public List<OnnxOperator> operators() {
            return List.of(new OnnxOperator("HardTanh", 1, 1, 1, 1, Set.of(), 1));
          }
        };
    var model = OnnxExporter.export(graph(), request(declared));
    assertTrue(
        model.getGraph().getNodeList().stream().anyMatch(n -> n.getOpType().equals("HardTanh")));
  }
}
