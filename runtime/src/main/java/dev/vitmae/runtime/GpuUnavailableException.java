package dev.vitmae.runtime;

/**
 * CUDA was required ({@link Device#CUDA} with {@link ModelOptions#strictGpu()}) but ONNX Runtime
 * could not use it. {@link #problem()} says what failed; the message adds what to do in Java.
 */
public final class GpuUnavailableException extends IllegalStateException {
  private final String problem;

  GpuUnavailableException(String problem, String advice, Throwable cause) {
    super(problem + ". " + advice, cause);
    this.problem = problem;
  }

  /** What failed, without advice: for callers that give their own (the command line does). */
  public String problem() {
    return problem;
  }

  /** What to do so that CUDA can be used: the build and the machine. */
  public static final String SETUP =
      "Build with the Maven profile 'gpu' (com.microsoft.onnxruntime:onnxruntime_gpu instead of"
          + " onnxruntime) on a machine with an NVIDIA driver, CUDA 12 and cuDNN 9 on the library"
          + " path";
}
