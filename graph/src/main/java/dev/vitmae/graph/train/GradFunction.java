package dev.vitmae.graph.train;

import java.io.PrintStream;
import java.util.Locale;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Builds a graph's backward pass ({@link SameDiff#createGradFunction()}) without ND4J's {@code
 * Added differentiated op …} lines on standard output.
 *
 * <p>Why {@code System.out} is touched at all: in ND4J 1.0.0-M2.1 the lambda that {@code
 * createGradFunction} defines as the {@code "grad"} function ends each differentiated op with a
 * bare {@code System.out.println("Added differentiated op " + op.getOwnName())} — no flag, log
 * level or {@code Environment} setting guards it (read from the M2.1 bytecode, {@code
 * SameDiff.lambda$createGradFunction$1}), and every public way to a gradient ({@code
 * calculateGradients}, {@code fit}, {@code TrainingSession}) goes through that lambda. The only way
 * short of re-implementing ND4J's reverse-mode pass is to intercept the call.
 *
 * <p>How it stays local: for the duration of {@link #create} only, {@code System.out} is a stream
 * that forwards every call to the stream it replaced, unchanged, except {@code println} calls of
 * the creating thread whose text starts with that prefix. Other threads print as before, the
 * creating thread's own other output passes too, and the original stream is put back when the last
 * concurrent {@code create} returns — unless someone else replaced {@code System.out} meanwhile,
 * whose stream is then left in place.
 */
public final class GradFunction {
  /** What ND4J M2.1 prints before each op's name. */
  static final String PREFIX = "Added differentiated op ";

  private static final Object LOCK = new Object();
  private static final ThreadLocal<Boolean> QUIET = ThreadLocal.withInitial(() -> false);
  private static OpLineDropper installed; // guarded by LOCK
  private static int users; // guarded by LOCK

  private GradFunction() {}

  /**
   * Creates {@code sd}'s gradient function, as {@link SameDiff#createGradFunction()} does, with no
   * per-op lines on standard output.
   *
   * @throws IllegalStateException as ND4J does, when {@code sd} has no loss variable
   */
  public static void create(SameDiff sd) {
    OpLineDropper mine = enter();
    QUIET.set(true);
    try {
      sd.createGradFunction();
    } finally {
      QUIET.remove();
      leave(mine);
    }
  }

  private static OpLineDropper enter() {
    synchronized (LOCK) {
      if (users == 0) {
        installed = new OpLineDropper(System.out);
        System.setOut(installed);
      }
      users++;
      return installed;
    }
  }

  private static void leave(OpLineDropper mine) {
    synchronized (LOCK) {
      if (--users == 0) {
        if (System.out == mine) System.setOut(mine.target);
        installed = null;
      }
    }
  }

  /** Forwards everything to {@code target} but the creating thread's per-op lines. */
  private static final class OpLineDropper extends PrintStream {
    final PrintStream target;

    OpLineDropper(PrintStream target) {
      super(target, true);
      this.target = target;
    }

    private static boolean drop(String s) {
      return QUIET.get() && s != null && s.startsWith(PREFIX);
    }

    @Override
    public void println(String x) {
      if (!drop(x)) target.println(x);
    }

    @Override
    public void println(Object x) {
      if (!drop(String.valueOf(x))) target.println(x);
    }

    @Override
    public void println() {
      target.println();
    }

    @Override
    public void println(boolean x) {
      target.println(x);
    }

    @Override
    public void println(char x) {
      target.println(x);
    }

    @Override
    public void println(int x) {
      target.println(x);
    }

    @Override
    public void println(long x) {
      target.println(x);
    }

    @Override
    public void println(float x) {
      target.println(x);
    }

    @Override
    public void println(double x) {
      target.println(x);
    }

    @Override
    public void println(char[] x) {
      target.println(x);
    }

    @Override
    public void print(String s) {
      target.print(s);
    }

    @Override
    public void print(Object obj) {
      target.print(obj);
    }

    @Override
    public void print(boolean b) {
      target.print(b);
    }

    @Override
    public void print(char c) {
      target.print(c);
    }

    @Override
    public void print(int i) {
      target.print(i);
    }

    @Override
    public void print(long l) {
      target.print(l);
    }

    @Override
    public void print(float f) {
      target.print(f);
    }

    @Override
    public void print(double d) {
      target.print(d);
    }

    @Override
    public void print(char[] s) {
      target.print(s);
    }

    @Override
    public PrintStream printf(String format, Object... args) {
      target.printf(format, args);
      return this;
    }

    @Override
    public PrintStream printf(Locale l, String format, Object... args) {
      target.printf(l, format, args);
      return this;
    }

    @Override
    public PrintStream format(String format, Object... args) {
      target.format(format, args);
      return this;
    }

    @Override
    public PrintStream format(Locale l, String format, Object... args) {
      target.format(l, format, args);
      return this;
    }

    @Override
    public PrintStream append(CharSequence csq) {
      target.append(csq);
      return this;
    }

    @Override
    public PrintStream append(CharSequence csq, int start, int end) {
      target.append(csq, start, end);
      return this;
    }

    @Override
    public PrintStream append(char c) {
      target.append(c);
      return this;
    }

    @Override
    public void write(int b) {
      target.write(b);
    }

    @Override
    public void write(byte[] buf, int off, int len) {
      target.write(buf, off, len);
    }

    @Override
    public void flush() {
      target.flush();
    }

    @Override
    public void close() {
      target.close();
    }

    @Override
    public boolean checkError() {
      return target.checkError();
    }
  }
}
