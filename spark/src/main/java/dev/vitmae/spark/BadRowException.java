package dev.vitmae.spark;

/**
 * An input row whose image cannot be turned into model pixels (undecodable file, wrong size, pixels
 * outside [0, 1]). The message names the file when the row has a path; a file the decoder refuses
 * arrives with the images module's {@code BadImageException} as its cause.
 */
public class BadRowException extends RuntimeException {

  public BadRowException(String message) {
    super(message);
  }

  public BadRowException(String message, Throwable cause) {
    super(message, cause);
  }
}
