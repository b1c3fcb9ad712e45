package dev.vitmae.export;

import dev.vitmae.export.onnx.OnnxProto.GraphProto;
import dev.vitmae.export.onnx.OnnxProto.ModelProto;
import dev.vitmae.export.onnx.OnnxProto.NodeProto;
import dev.vitmae.export.onnx.OnnxProto.TensorProto;
import java.util.HashSet;
import java.util.Set;

/**
 * Structural checks before a model is written: opset and IR set, names unique, every node input
 * defined before use, every graph output produced, initializer sizes matching their dims.
 */
public final class OnnxValidator {
  private OnnxValidator() {}

  /**
   * @throws OnnxValidationException naming the first problem found
   */
  public static void validate(ModelProto model) {
    if (model.getIrVersion() <= 0) fail("ir_version is not set");
    if (model.getOpsetImportCount() == 0) fail("no opset_import");
    GraphProto g = model.getGraph();
    Set<String> defined = new HashSet<>();
    for (var in : g.getInputList()) define(defined, in.getName(), "graph input");
    for (TensorProto t : g.getInitializerList()) {
      define(defined, t.getName(), "initializer");
      checkSize(t);
    }
    Set<String> nodeNames = new HashSet<>();
    for (int i = 0; i < g.getNodeCount(); i++) {
      NodeProto n = g.getNode(i);
      if (n.getOpType().isEmpty()) fail("node " + i + " ('" + n.getName() + "') has no op_type");
      if (!n.getName().isEmpty() && !nodeNames.add(n.getName())) {
        fail("node name '" + n.getName() + "' is used twice");
      }
      for (String in : n.getInputList()) {
        if (!in.isEmpty() && !defined.contains(in)) {
          fail(
              "node '"
                  + n.getName()
                  + "' ("
                  + n.getOpType()
                  + ") reads '"
                  + in
                  + "', which no input, initializer or earlier node defines");
        }
      }
      for (String out : n.getOutputList())
        define(defined, out, "output of node '" + n.getName() + "'");
    }
    for (var out : g.getOutputList()) {
      if (!defined.contains(out.getName()))
        fail("graph output '" + out.getName() + "' is never produced");
    }
  }

  private static void define(Set<String> defined, String name, String what) {
    if (name.isEmpty()) fail("a " + what + " has an empty name");
    if (!defined.add(name))
      fail("value name '" + name + "' is defined twice (again as " + what + ")");
  }

  private static void checkSize(TensorProto t) {
    long count = 1;
    for (long d : t.getDimsList()) {
      if (d < 0) fail("initializer '" + t.getName() + "' has negative dimension " + d);
      count *= d;
    }
    int width =
        switch (t.getDataType()) {
          case TensorProto.DataType.FLOAT_VALUE, TensorProto.DataType.INT32_VALUE -> 4;
          case TensorProto.DataType.INT64_VALUE, TensorProto.DataType.DOUBLE_VALUE -> 8;
          default ->
              throw new OnnxValidationException(
                  "initializer '" + t.getName() + "' has unsupported data_type " + t.getDataType());
        };
    long bytes =
        t.hasRawData()
            ? t.getRawData().size()
            : (long) (t.getFloatDataCount() + t.getInt32DataCount()) * 4
                + (long) (t.getInt64DataCount() + t.getDoubleDataCount()) * 8;
    if (bytes != count * width) {
      fail(
          "initializer '"
              + t.getName()
              + "' holds "
              + bytes
              + " bytes but its dims "
              + t.getDimsList()
              + " need "
              + count * width);
    }
  }

  private static void fail(String message) {
    throw new OnnxValidationException("invalid ONNX model: " + message);
  }
}
