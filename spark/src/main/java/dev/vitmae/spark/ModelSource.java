package dev.vitmae.spark;

import dev.vitmae.runtime.Device;
import dev.vitmae.runtime.ModelInfo;
import dev.vitmae.runtime.ModelOptions;
import dev.vitmae.runtime.VitModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A model's bytes as the driver read them, their hash, and the I/O contract the driver checked.
 *
 * @param name the URI, or "in-memory model", for messages
 * @param bytes the {@code .onnx} file
 * @param sha256 lower-case hex SHA-256 of the bytes
 * @param info the model's kind, image size, channels, inputs and outputs
 */
record ModelSource(String name, byte[] bytes, String sha256, ModelInfo info) {

  /**
   * Reads a model from any Hadoop file system ({@code file:}, {@code hdfs:}, {@code s3a:} …) and
   * opens it once on the CPU to read its contract.
   *
   * @throws IllegalArgumentException when the file is missing or not a vitmae ONNX model
   */
  static ModelSource read(String uri, Configuration conf) {
    Path path = new Path(uri);
    byte[] bytes;
    try {
      FileSystem fs = path.getFileSystem(conf);
      if (!fs.isFile(path)) throw new IllegalArgumentException("model file not found: " + uri);
      try (InputStream in = fs.open(path)) {
        bytes = in.readAllBytes();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read model " + uri + ": " + e.getMessage(), e);
    }
    return of(uri, bytes);
  }

  /**
   * A model held in memory.
   *
   * @throws IllegalArgumentException when the bytes are not a vitmae ONNX model
   */
  static ModelSource of(String name, byte[] bytes) {
    var cpu = ModelOptions.defaults().withDevice(Device.CPU);
    try (VitModel model = VitModel.open(bytes, cpu)) {
      return new ModelSource(name, bytes, ExecutorSessions.sha256(bytes), model.info());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
    }
  }
}
