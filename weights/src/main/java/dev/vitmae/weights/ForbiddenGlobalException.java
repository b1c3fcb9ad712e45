package dev.vitmae.weights;

/**
 * A checkpoint's pickle names a global outside the allow-list (e.g. {@code posix.system} or {@code
 * builtins.eval}). A pickle is a program; this one was refused before anything it names was looked
 * up, so nothing was executed.
 */
public final class ForbiddenGlobalException extends WeightsFormatException {
  private final String global;

  ForbiddenGlobalException(String global, String message) {
    super(message);
    this.global = global;
  }

  /** The refused global as {@code module.name}, e.g. {@code "posix.system"}. */
  public String global() {
    return global;
  }
}
