package dev.vitmae.images;

import java.io.IOException;

/**
 * A file or byte array is not an image vitmae can use: empty, not an image, truncated, corrupt,
 * larger than the pixel limit, or unreadable. The message is {@code "<source>: <reason>"}.
 */
public class BadImageException extends IOException {
  private final String source;
  private final String reason;

  public BadImageException(String source, String reason) {
    this(source, reason, null);
  }

  public BadImageException(String source, String reason, Throwable cause) {
    super(source + ": " + reason, cause);
    this.source = source;
    this.reason = reason;
  }

  /** The file (or the name given to a byte array) that could not be read. */
  public String source() {
    return source;
  }

  /** Why, without the source: e.g. {@code "empty file (0 bytes)"}. */
  public String reason() {
    return reason;
  }
}
