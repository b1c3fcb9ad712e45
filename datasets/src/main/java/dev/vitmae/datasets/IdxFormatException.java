package dev.vitmae.datasets;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A malformed IDX file: names the file, the header field or data section at fault, and the byte
 * offset (in the decompressed IDX stream) where that field starts.
 */
public class IdxFormatException extends IOException {
  private final Path file;
  private final String field;
  private final long byteOffset;

  public IdxFormatException(Path file, String field, long byteOffset, String problem) {
    super(file + ": " + field + " at byte offset " + byteOffset + ": " + problem);
    this.file = file;
    this.field = field;
    this.byteOffset = byteOffset;
  }

  public Path file() {
    return file;
  }

  public String field() {
    return field;
  }

  public long byteOffset() {
    return byteOffset;
  }
}
