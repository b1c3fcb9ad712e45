package dev.vitmae.runtime;

/**
 * A file or byte array that is not a valid ONNX model, or whose inputs/outputs break the vitmae I/O
 * contract.
 */
public class InvalidModelException extends IllegalArgumentException {

  public InvalidModelException(String message) {
    super(message);
  }

  public InvalidModelException(String message, Throwable cause) {
    super(message, cause);
  }
}
