package dev.vitmae.spark;

/**
 * An input row whose image cannot be turned into model pixels (undecodable file, wrong size, pixels
 * outside [0, 1]). The message names the file when the row has a path.
 */
public class BadImageException extends RuntimeException {

  public BadImageException(String message) {
    super(message);
  }

  public BadImageException(String message, Throwable cause) {
    super(message, cause);
  }
}
