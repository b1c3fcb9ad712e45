package dev.vitmae.datasets;

import java.io.IOException;
import java.nio.file.Path;

/** Malformed JSON input: names the file and the character offset where parsing failed. */
public class JsonFormatException extends IOException {
  private final Path file;
  private final long charOffset;

  public JsonFormatException(Path file, long charOffset, String problem) {
    super(file + ": at character offset " + charOffset + ": " + problem);
    this.file = file;
    this.charOffset = charOffset;
  }

  public Path file() {
    return file;
  }

  public long charOffset() {
    return charOffset;
  }
}
