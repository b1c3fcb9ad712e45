package dev.vitmae.runtime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * An ONNX Runtime session over model bytes that are not a vitmae inference model (the training
 * engine's step graph), opened exactly as {@link VitModel} opens its sessions: the device of the
 * {@link ModelOptions}, CUDA with a CPU fallback (one WARN line) unless strict, and the provider
 * really used reported. Closing it closes the session and its options.
 */
public final class RawSession implements AutoCloseable {
  private final Sessions.Opened opened;

  private RawSession(Sessions.Opened opened) {
    this.opened = opened;
  }

  /**
   * Opens {@code model} (ONNX bytes); {@code name} names it in messages.
   *
   * @throws OrtException when ONNX Runtime refuses the model on the CPU too
   * @throws IllegalStateException for a strict CUDA request that CUDA cannot serve
   */
  public static RawSession open(byte[] model, String name, ModelOptions options)
      throws OrtException {
    Sessions.Source source =
        new Sessions.Source() {
          @Override
          public String name() {
            return name;
          }

          @Override
          public OrtSession create(OrtEnvironment env, OrtSession.SessionOptions o)
              throws OrtException {
            return env.createSession(model, o);
          }
        };
    return new RawSession(Sessions.open(OrtNative.environment(), source, options));
  }

  public OrtSession session() {
    return opened.session();
  }

  /** The execution provider the session really uses, e.g. {@code CPUExecutionProvider}. */
  public String provider() {
    return opened.provider();
  }

  @Override
  public void close() {
    try {
      opened.session().close();
    } catch (OrtException e) {
      throw new IllegalStateException("could not close the ONNX Runtime session", e);
    } finally {
      opened.options().close();
    }
  }
}
