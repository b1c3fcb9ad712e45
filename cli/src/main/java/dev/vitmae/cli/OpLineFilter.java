package dev.vitmae.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;

/**
 * The command line's standard output without ND4J's {@code Added differentiated op …} lines: bytes
 * pass through line by line; lines with that prefix are dropped.
 */
final class OpLineFilter extends PrintStream {
  static final String PREFIX = "Added differentiated op ";

  OpLineFilter(PrintStream target) {
    super(new Lines(target, Charset.defaultCharset()), true);
  }

  private static final class Lines extends OutputStream {
    private final PrintStream target;
    private final Charset charset;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    Lines(PrintStream target, Charset charset) {
      this.target = target;
      this.charset = charset;
    }

    @Override
    public synchronized void write(int b) {
      line.write(b);
      if (b == '\n') emit();
    }

    @Override
    public synchronized void flush() {
      // A partial line (a prompt, a progress bar) must show: pass it on unless it may still be
      // ND4J's.
      if (line.size() > 0
          && !PREFIX.startsWith(line.toString(charset))
          && !line.toString(charset).startsWith(PREFIX)) {
        emit();
      }
      target.flush();
    }

    private void emit() {
      if (!line.toString(charset).startsWith(PREFIX))
        target.write(line.toByteArray(), 0, line.size());
      line.reset();
    }
  }
}
