package dev.vitmae.spark;

import dev.vitmae.runtime.Device;
import dev.vitmae.runtime.ModelOptions;
import java.io.Serializable;

/**
 * Which ONNX Runtime session a task needs: the model's content (SHA-256 of its bytes) and how to
 * open it.
 *
 * @param sha256 lower-case hex SHA-256 of the {@code .onnx} bytes
 * @param device CPU, CUDA or AUTO
 * @param cudaDeviceId the GPU (from the task's {@code gpu} resource), 0 on the CPU
 * @param intraOpThreads ONNX Runtime threads inside one operator, at least 1
 */
record SessionKey(String sha256, Device device, int cudaDeviceId, int intraOpThreads)
    implements Serializable {

  ModelOptions options() {
    return ModelOptions.defaults()
        .withDevice(device)
        .withCudaDeviceId(cudaDeviceId)
        .withIntraOpThreads(intraOpThreads)
        .withInterOpThreads(1);
  }
}
