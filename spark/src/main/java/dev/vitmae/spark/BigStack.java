package dev.vitmae.spark;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Runs a call on a thread with a 16 MiB stack. ONNX Runtime 1.29's session creation overflowed the
 * default 1 MiB Java thread stack (a SIGSEGV without hs_err, with Spark's ~170 jars on the class
 * path; 2 MiB was enough), and Spark's task threads have the default stack.
 */
final class BigStack {

  static final long STACK_BYTES = 16L << 20;

  private BigStack() {}

  /** The value of {@code call}, or its exception rethrown in the calling thread. */
  static <T> T call(String name, Supplier<T> call) {
    AtomicReference<T> value = new AtomicReference<>();
    AtomicReference<Throwable> error = new AtomicReference<>();
    Thread thread =
        new Thread(
            null,
            () -> {
              try {
                value.set(call.get());
              } catch (Throwable t) {
                error.set(t);
              }
            },
            name,
            STACK_BYTES);
    thread.setContextClassLoader(Thread.currentThread().getContextClassLoader());
    thread.start();
    boolean interrupted = false;
    while (true) {
      try {
        thread.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) Thread.currentThread().interrupt();
    Throwable t = error.get();
    if (t instanceof RuntimeException r) throw r;
    if (t instanceof Error e) throw e;
    return value.get();
  }
}
