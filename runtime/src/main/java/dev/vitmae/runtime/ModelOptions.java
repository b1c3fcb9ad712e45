package dev.vitmae.runtime;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How a {@link VitModel} opens its ONNX Runtime session.
 *
 * @param device where to run; {@link Device#AUTO} falls back to the CPU
 * @param cudaDeviceId CUDA device ordinal (≥ 0), used when the device is AUTO or CUDA
 * @param intraOpThreads threads inside one operator; 0 = ONNX Runtime's default
 * @param interOpThreads threads across operators; 0 = ONNX Runtime's default
 * @param optimization graph optimization level
 * @param strictGpu with {@link Device#CUDA}: throw when the CUDA provider cannot be loaded instead
 *     of falling back to the CPU
 * @param memoryPattern ONNX Runtime's memory-pattern optimization (pre-planned buffers per input
 *     shape)
 * @param profile where ONNX Runtime writes a per-node time profile of every run (Chrome trace JSON,
 *     read by {@link OrtProfile}): the file name starts with this path and is completed by ONNX
 *     Runtime ({@code <profile>_<date>.json}), written when the session closes; null: no profile.
 *     Profiling slows every run: not for timed runs.
 * @throws IllegalArgumentException for a negative device id or thread count
 * @throws NullPointerException for a null device or optimization level
 */
public record ModelOptions(
    Device device,
    int cudaDeviceId,
    int intraOpThreads,
    int interOpThreads,
    OptimizationLevel optimization,
    boolean strictGpu,
    boolean memoryPattern,
    Path profile) {

  public ModelOptions {
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(optimization, "optimization");
    if (cudaDeviceId < 0)
      throw new IllegalArgumentException("cudaDeviceId must be >= 0, got " + cudaDeviceId);
    if (intraOpThreads < 0)
      throw new IllegalArgumentException(
          "intraOpThreads must be >= 0 (0 = default), got " + intraOpThreads);
    if (interOpThreads < 0)
      throw new IllegalArgumentException(
          "interOpThreads must be >= 0 (0 = default), got " + interOpThreads);
  }

  /**
   * AUTO device, CUDA device 0, default thread counts, ALL optimizations, no strict GPU, memory
   * pattern on.
   */
  public static ModelOptions defaults() {
    return new ModelOptions(Device.AUTO, 0, 0, 0, OptimizationLevel.ALL, false, true, null);
  }

  /** The options before {@code profile} existed, without a profile. */
  public ModelOptions(
      Device device,
      int cudaDeviceId,
      int intraOpThreads,
      int interOpThreads,
      OptimizationLevel optimization,
      boolean strictGpu,
      boolean memoryPattern) {
    this(
        device,
        cudaDeviceId,
        intraOpThreads,
        interOpThreads,
        optimization,
        strictGpu,
        memoryPattern,
        null);
  }

  public ModelOptions withDevice(Device d) {
    return new ModelOptions(
        d,
        cudaDeviceId,
        intraOpThreads,
        interOpThreads,
        optimization,
        strictGpu,
        memoryPattern,
        profile);
  }

  public ModelOptions withCudaDeviceId(int id) {
    return new ModelOptions(
        device,
        id,
        intraOpThreads,
        interOpThreads,
        optimization,
        strictGpu,
        memoryPattern,
        profile);
  }

  public ModelOptions withIntraOpThreads(int n) {
    return new ModelOptions(
        device, cudaDeviceId, n, interOpThreads, optimization, strictGpu, memoryPattern, profile);
  }

  public ModelOptions withInterOpThreads(int n) {
    return new ModelOptions(
        device, cudaDeviceId, intraOpThreads, n, optimization, strictGpu, memoryPattern, profile);
  }

  public ModelOptions withOptimization(OptimizationLevel level) {
    return new ModelOptions(
        device,
        cudaDeviceId,
        intraOpThreads,
        interOpThreads,
        level,
        strictGpu,
        memoryPattern,
        profile);
  }

  public ModelOptions withStrictGpu(boolean strict) {
    return new ModelOptions(
        device,
        cudaDeviceId,
        intraOpThreads,
        interOpThreads,
        optimization,
        strict,
        memoryPattern,
        profile);
  }

  public ModelOptions withMemoryPattern(boolean enabled) {
    return new ModelOptions(
        device,
        cudaDeviceId,
        intraOpThreads,
        interOpThreads,
        optimization,
        strictGpu,
        enabled,
        profile);
  }

  /** These options with ONNX Runtime's profile written under {@code prefix} (null: none). */
  public ModelOptions withProfile(Path prefix) {
    return new ModelOptions(
        device,
        cudaDeviceId,
        intraOpThreads,
        interOpThreads,
        optimization,
        strictGpu,
        memoryPattern,
        prefix);
  }
}
