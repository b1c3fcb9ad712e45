package dev.vitmae.weights;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;

/** The open file behind a {@link StateDict} and its views: closed once, checked on every read. */
final class OpenFile implements Closeable {
  private final Path path;
  private final Closeable handle;
  private volatile boolean closed;

  OpenFile(Path path, Closeable handle) {
    this.path = path;
    this.handle = handle;
  }

  Path path() {
    return path;
  }

  void checkOpen() {
    if (closed) {
      throw new IllegalStateException(
          path + " is closed; read tensors before closing the StateDict");
    }
  }

  @Override
  public synchronized void close() throws IOException {
    if (!closed) {
      closed = true;
      handle.close();
    }
  }
}
