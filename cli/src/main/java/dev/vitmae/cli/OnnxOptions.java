package dev.vitmae.cli;

import dev.vitmae.runtime.Device;
import dev.vitmae.runtime.ModelOptions;
import dev.vitmae.runtime.ModelView;
import dev.vitmae.runtime.VitModel;
import java.nio.file.Path;
import java.util.function.Function;
import picocli.CommandLine.Option;

/** How an ONNX model is served (a picocli {@code @Mixin}): {@code --device}, {@code --threads}. */
final class OnnxOptions {
  @Option(
      names = "--device",
      paramLabel = "DEVICE",
      defaultValue = "auto",
      description =
          "auto (CUDA when available, else CPU), cpu or cuda (default: ${DEFAULT-VALUE}).")
  private Device device;

  @Option(
      names = "--threads",
      paramLabel = "N",
      defaultValue = "0",
      description = "ONNX Runtime intra-op threads, 0 = its default (default: ${DEFAULT-VALUE}).")
  private int threads;

  ModelOptions modelOptions() {
    if (threads < 0) {
      throw new IllegalArgumentException(
          "--threads must be >= 0 (0 = ONNX Runtime's default), got " + threads);
    }
    return ModelOptions.defaults().withDevice(device).withIntraOpThreads(threads);
  }

  /**
   * Opens {@code file} and takes {@code view} of it (the runtime checks the kind); the view's
   * {@link ModelView#model()} is the caller's to close.
   *
   * @throws IllegalArgumentException when the file is missing, not a vitmae model, or another kind
   */
  <V extends ModelView> V open(Path file, Function<VitModel, V> view, String what) {
    // ONNX Runtime answers an empty file with its C++ source location: say it plainly first.
    if (isEmptyFile(file)) {
      throw new IllegalArgumentException(file + ": empty file (0 bytes), not an ONNX model");
    }
    VitModel model = VitModel.open(file, modelOptions());
    try {
      return view.apply(model);
    } catch (UnsupportedOperationException e) {
      model.close();
      throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
    }
  }

  private static boolean isEmptyFile(Path file) {
    try {
      return java.nio.file.Files.isRegularFile(file) && java.nio.file.Files.size(file) == 0;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  /** "CPUExecutionProvider, 2 intra-op threads" or "..., default threads". */
  String describe(VitModel model) {
    return model.executionProvider()
        + ", "
        + (threads == 0
            ? "default threads"
            : threads + " intra-op thread" + (threads == 1 ? "" : "s"));
  }
}
