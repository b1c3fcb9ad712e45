package dev.vitmae.export;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What to export from a SameDiff graph.
 *
 * @param outputs the variables that become graph outputs (SameDiff graphs have no notion of "the
 *     outputs"; only the ops these depend on are written)
 * @param opset ONNX opset, {@link OnnxExporter#DEFAULT_OPSET} to {@link OnnxExporter#MAX_OPSET}
 * @param metadata written to {@code metadata_props}
 * @param translators consulted before the built-in {@link OnnxOp} registry (may be empty)
 */
public record ExportRequest(
    String graphName,
    List<String> outputs,
    int opset,
    Map<String, String> metadata,
    List<OnnxTranslator> translators) {
  /** A request that uses the built-in registry only. */
  public ExportRequest(
      String graphName, List<String> outputs, int opset, Map<String, String> metadata) {
    this(graphName, outputs, opset, metadata, List.of());
  }

  public ExportRequest {
    if (outputs == null || outputs.isEmpty())
      throw new IllegalArgumentException("no outputs requested");
    OnnxExporter.checkOpset(opset);
    outputs = List.copyOf(outputs);
    metadata = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    translators = List.copyOf(translators);
  }
}
