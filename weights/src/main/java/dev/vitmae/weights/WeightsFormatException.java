package dev.vitmae.weights;

import java.io.IOException;

/**
 * A weights file that cannot be read as what it claims to be: a bad header, an offset out of range,
 * a size that does not add up, a truncated archive. The message names the file and, where there is
 * one, the tensor and the byte offset.
 */
public class WeightsFormatException extends IOException {
  public WeightsFormatException(String message) {
    super(message);
  }

  public WeightsFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
