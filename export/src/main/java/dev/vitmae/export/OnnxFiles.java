package dev.vitmae.export;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.vitmae.datasets.AtomicFiles;
import dev.vitmae.export.onnx.OnnxProto.ModelProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reading and writing {@code .onnx} files. */
public final class OnnxFiles {
  private OnnxFiles() {}

  /** Validates, then writes atomically (a temporary file beside {@code file}, then a rename). */
  public static void write(ModelProto model, Path file) throws IOException {
    OnnxValidator.validate(model);
    AtomicFiles.write(file, model::writeTo);
  }

  /**
   * Parses and validates a model.
   *
   * @throws OnnxValidationException when the bytes are not an ONNX protobuf or the graph is
   *     inconsistent, naming the file
   */
  public static ModelProto read(Path file) throws IOException {
    try {
      ModelProto model = ModelProto.parseFrom(Files.readAllBytes(file));
      if (!model.hasGraph()) throw new OnnxValidationException("no graph");
      OnnxValidator.validate(model);
      return model;
    } catch (InvalidProtocolBufferException e) {
      throw new OnnxValidationException(
          file
              + " is not a valid ONNX model (truncated or not "
              + "protobuf: "
              + e.getMessage()
              + ")",
          e);
    } catch (OnnxValidationException e) {
      throw new OnnxValidationException(file + ": " + e.getMessage(), e);
    }
  }

  /** The model's {@code metadata_props} as a map. */
  public static Map<String, String> metadata(ModelProto model) {
    Map<String, String> out = new LinkedHashMap<>();
    model.getMetadataPropsList().forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }
}
