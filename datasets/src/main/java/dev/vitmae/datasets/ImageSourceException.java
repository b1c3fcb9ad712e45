package dev.vitmae.datasets;

/**
 * An image of an {@link ImageSource} could not be read: the message names the source, the image
 * (file, record or index) and the reason.
 */
public class ImageSourceException extends RuntimeException {
  public ImageSourceException(String message) {
    super(message);
  }

  public ImageSourceException(String message, Throwable cause) {
    super(message, cause);
  }
}
