package dev.vitmae.export;

/**
 * A SameDiff op the exporter cannot translate: not in the registry, or with settings it cannot
 * express.
 */
public final class UnsupportedOpException extends IllegalArgumentException {
  public UnsupportedOpException(String message) {
    super(message);
  }
}
