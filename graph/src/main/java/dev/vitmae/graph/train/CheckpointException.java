package dev.vitmae.graph.train;

import java.io.IOException;
import java.nio.file.Path;

/** A checkpoint that cannot be used: missing, truncated, corrupt, or for another model. */
public final class CheckpointException extends IOException {
  private final Path file;

  public CheckpointException(Path file, String problem) {
    super("checkpoint " + file + ": " + problem);
    this.file = file;
  }

  public Path file() {
    return file;
  }
}
