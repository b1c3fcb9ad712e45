package dev.vitmae.runtime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens an ONNX Runtime session on the requested device, falling back from CUDA to the CPU when
 * allowed.
 */
final class Sessions {

  static final String CUDA_PROVIDER = "CUDAExecutionProvider";
  static final String CPU_PROVIDER = "CPUExecutionProvider";

  private static final Logger log = LoggerFactory.getLogger(VitModel.class);

  /** Where the model bytes come from; {@link #name()} is used in messages. */
  interface Source {
    String name();

    OrtSession create(OrtEnvironment env, SessionOptions options) throws OrtException;
  }

  /** A session with the options it owns (closed together) and the provider it really uses. */
  record Opened(OrtSession session, SessionOptions options, String provider) {}

  private Sessions() {}

  /**
   * @throws OrtException when the model cannot be loaded on the CPU either (an invalid model)
   * @throws IllegalStateException for {@link Device#CUDA} with strictGpu when CUDA cannot be used
   */
  static Opened open(OrtEnvironment env, Source source, ModelOptions o) throws OrtException {
    if (o.device() == Device.CPU) return onCpu(env, source, o);
    // AUTO with the CPU-only ONNX Runtime jar: CPU is the only choice, not a degradation.
    if (o.device() == Device.AUTO
        && !OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
      log.info(
          "{}: this ONNX Runtime build has no CUDA provider; running on the CPU", source.name());
      return onCpu(env, source, o);
    }

    // Step 1. Register the CUDA provider: fails when the CPU-only jar or the CUDA libraries are
    // missing.
    SessionOptions options = configured(o);
    Throwable cudaError;
    try {
      options.addCUDA(o.cudaDeviceId());
      // Step 2. Create the session: may fail on CUDA (no device) or because the model is invalid.
      return new Opened(source.create(env, options), options, CUDA_PROVIDER);
    } catch (OrtException | LinkageError e) {
      options.close();
      cudaError = e;
    }
    // Step 3. The CPU session tells an invalid model (it throws) from a CUDA failure (it opens).
    Opened cpu = onCpu(env, source, o);
    if (o.device() == Device.CUDA && o.strictGpu()) {
      cpu.session().close();
      cpu.options().close();
      throw new GpuUnavailableException(
          cudaUnavailable(o, source, cudaError),
          GpuUnavailableException.SETUP + ", or use Device.AUTO / Device.CPU",
          cudaError);
    }
    log.warn(
        "{}: CUDA execution provider unavailable on device {} ({}); running on the CPU. {}.",
        source.name(),
        o.cudaDeviceId(),
        reason(cudaError),
        GpuUnavailableException.SETUP);
    return cpu;
  }

  private static Opened onCpu(OrtEnvironment env, Source source, ModelOptions o)
      throws OrtException {
    SessionOptions options = configured(o);
    try {
      return new Opened(source.create(env, options), options, CPU_PROVIDER);
    } catch (OrtException | RuntimeException e) {
      options.close();
      throw e;
    }
  }

  private static SessionOptions configured(ModelOptions o) {
    SessionOptions options = new SessionOptions();
    try {
      options.setOptimizationLevel(o.optimization().ort());
      if (o.intraOpThreads() > 0) options.setIntraOpNumThreads(o.intraOpThreads());
      if (o.interOpThreads() > 0) options.setInterOpNumThreads(o.interOpThreads());
      options.setMemoryPatternOptimization(o.memoryPattern());
      if (o.profile() != null) options.enableProfiling(o.profile().toString());
      return options;
    } catch (OrtException e) {
      options.close();
      throw new IllegalStateException(
          "could not configure ONNX Runtime session options " + o + ": " + e.getMessage(), e);
    }
  }

  private static String cudaUnavailable(ModelOptions o, Source source, Throwable cause) {
    return "CUDA execution provider could not be loaded for "
        + source.name()
        + " on CUDA device "
        + o.cudaDeviceId()
        + " ("
        + reason(cause)
        + "), and a strict GPU setting does not fall back to the CPU";
  }

  private static String reason(Throwable e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message.strip());
  }
}
