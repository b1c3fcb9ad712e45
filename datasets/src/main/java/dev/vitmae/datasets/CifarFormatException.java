package dev.vitmae.datasets;

import java.io.IOException;
import java.nio.file.Path;

/** A malformed CIFAR-10 binary batch file: names the file, the record and the byte offset. */
public class CifarFormatException extends IOException {
  private final Path file;
  private final long record;
  private final long byteOffset;

  public CifarFormatException(Path file, long record, long byteOffset, String problem) {
    super(file + ": record " + record + " at byte offset " + byteOffset + ": " + problem);
    this.file = file;
    this.record = record;
    this.byteOffset = byteOffset;
  }

  public Path file() {
    return file;
  }

  public long record() {
    return record;
  }

  public long byteOffset() {
    return byteOffset;
  }
}
