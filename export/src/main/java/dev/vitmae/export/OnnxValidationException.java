package dev.vitmae.export;

/** An ONNX model that is inconsistent or unreadable; the message names the node, value or field. */
public final class OnnxValidationException extends IllegalArgumentException {
  public OnnxValidationException(String message) {
    super(message);
  }

  public OnnxValidationException(String message, Throwable cause) {
    super(message, cause);
  }
}
