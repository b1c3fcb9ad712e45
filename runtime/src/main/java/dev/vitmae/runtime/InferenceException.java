package dev.vitmae.runtime;

/** ONNX Runtime failed while running a model on inputs that passed validation. */
public class InferenceException extends RuntimeException {

  public InferenceException(String message, Throwable cause) {
    super(message, cause);
  }
}
