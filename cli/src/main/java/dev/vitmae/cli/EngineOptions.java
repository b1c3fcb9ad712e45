package dev.vitmae.cli;

import dev.vitmae.api.Engine;
import dev.vitmae.runtime.Device;
import dev.vitmae.runtime.ModelOptions;
import picocli.CommandLine.Option;

/** Who runs the training steps, and where (a picocli {@code @Mixin} of {@code train}). */
final class EngineOptions {
  @Option(
      names = "--engine",
      paramLabel = "NAME",
      description =
          "Who runs the training steps: ort (ONNX Runtime: the SameDiff-declared step exported as one"
              + " ONNX graph) or samediff (ND4J; the reference)"
              + " (default: ${DEFAULT-VALUE}).")
  String engine = Engine.DEFAULT.id();

  @Option(
      names = "--device",
      paramLabel = "DEVICE",
      description =
          "ort engine: cpu, cuda (stops with the reason when CUDA cannot be used) or auto (CUDA"
              + " when usable, else the CPU with one WARN line) (default: ${DEFAULT-VALUE}).")
  Device device = Device.CPU;

  @Option(
      names = "--cuda-device",
      paramLabel = "N",
      description = "ort engine on CUDA: the GPU's index (default: ${DEFAULT-VALUE}).")
  int cudaDevice = 0;

  Engine engine() {
    return Engine.of(engine);
  }

  /** ONNX Runtime's settings for the ort engine: CUDA is strict unless asked for auto. */
  ModelOptions ortOptions() {
    if (cudaDevice < 0) throw new IllegalArgumentException("--cuda-device must be >= 0");
    if (engine() != Engine.ORT && device != Device.CPU) {
      throw new IllegalArgumentException(
          "--device " + device.name().toLowerCase() + " needs --engine ort");
    }
    return ModelOptions.defaults()
        .withDevice(device)
        .withCudaDeviceId(cudaDevice)
        .withStrictGpu(device == Device.CUDA);
  }
}
