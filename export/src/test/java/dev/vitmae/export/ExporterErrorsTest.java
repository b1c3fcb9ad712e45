package dev.vitmae.export;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.vitmae.export.onnx.OnnxProto.ModelProto;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/** Unsupported ops and malformed graphs fail with messages that say what and where. */
class ExporterErrorsTest {
  private static ModelProto small() {
    SameDiff sd = SameDiff.create();
    SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 4);
    sd.identity("out", x.mul(2.0).add(1.0));
    return OnnxExporter.export(sd, new ExportRequest("g", List.of("out"), 17, Map.of()));
  }

  @Test
  void unsupportedOpNamesOpNodeAndSupportedSet() {
    SameDiff sd = SameDiff.create();
    SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 4);
    sd.identity("out", sd.math().sin("my_sine", x));
    var e =
        assertThrows(
            UnsupportedOpException.class,
            () -> OnnxExporter.export(sd, new ExportRequest("g", List.of("out"), 17, Map.of())));
    assertTrue(e.getMessage().contains("'sin'"), e.getMessage());
    assertTrue(e.getMessage().contains("my_sine"), e.getMessage());
    assertTrue(e.getMessage().contains("supported: " + OnnxOp.supported()), e.getMessage());
  }

  @Test
  void unknownOutputAndOpsetAreRefused() {
    SameDiff sd = SameDiff.create();
    sd.placeHolder("x", DataType.FLOAT, -1, 4);
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> OnnxExporter.export(sd, new ExportRequest("g", List.of("nope"), 17, Map.of())));
    assertTrue(e.getMessage().contains("no variable 'nope'"), e.getMessage());
    var o =
        assertThrows(
            IllegalArgumentException.class,
            () -> new ExportRequest("g", List.of("x"), 9, Map.of()));
    assertTrue(o.getMessage().contains("opset 9 is not supported"), o.getMessage());
  }

  @Test
  void undefinedInputIsRefused() {
    ModelProto m = small();
    var bad = m.toBuilder();
    bad.getGraphBuilder().getNodeBuilder(0).setInput(0, "ghost");
    var e = assertThrows(OnnxValidationException.class, () -> OnnxValidator.validate(bad.build()));
    assertTrue(e.getMessage().contains("reads 'ghost'"), e.getMessage());
  }

  @Test
  void duplicateValueNameIsRefused() {
    var bad = small().toBuilder();
    var g = bad.getGraphBuilder();
    g.getNodeBuilder(1).setOutput(0, g.getNode(0).getOutput(0));
    var e = assertThrows(OnnxValidationException.class, () -> OnnxValidator.validate(bad.build()));
    assertTrue(e.getMessage().contains("defined twice"), e.getMessage());
  }

  @Test
  void initializerOfWrongSizeIsRefused() {
    var bad = small().toBuilder();
    bad.getGraphBuilder().getInitializerBuilder(0).setRawData(ByteString.copyFrom(new byte[7]));
    var e = assertThrows(OnnxValidationException.class, () -> OnnxValidator.validate(bad.build()));
    assertTrue(e.getMessage().contains("holds 7 bytes"), e.getMessage());
  }

  @Test
  void missingOutputIsRefused() {
    var bad = small().toBuilder();
    bad.getGraphBuilder().getOutputBuilder(0).setName("elsewhere");
    var e = assertThrows(OnnxValidationException.class, () -> OnnxValidator.validate(bad.build()));
    assertTrue(e.getMessage().contains("'elsewhere' is never produced"), e.getMessage());
  }
}
