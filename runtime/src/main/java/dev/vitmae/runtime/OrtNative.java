package dev.vitmae.runtime;

import ai.onnxruntime.OrtEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one door to ONNX Runtime's native code in this JVM: every vitmae module (serving, Spark
 * executors, training engines) gets its {@link OrtEnvironment} here, never from {@link
 * OrtEnvironment#getEnvironment()} directly.
 *
 * <p>It does two things before ONNX Runtime is first touched:
 *
 * <ol>
 *   <li><b>Native libraries from one stable cache.</b> Unless the application already set the
 *       system property {@code onnxruntime.native.path}, the libraries in the ONNX Runtime jar are
 *       extracted once, atomically, into a versioned folder of {@link NativeCache} ({@code
 *       ~/.cache/vitmae/native/onnxruntime-<os-arch>-<crc>}; system property {@code
 *       vitmae.native.cache} moves it) and loaded from there, so runs — including killed ones —
 *       leave no {@code /tmp/onnxruntime-java*} folder behind.
 *   <li><b>The environment created on a thread with a large stack.</b> On Linux, ONNX Runtime 1.29
 *       creates its telemetry client (Microsoft's 1DS C++ SDK) with the environment; that client's
 *       {@code sysinfo_sources_impl} runs {@code std::regex_search(contents of /proc/self/cmdline,
 *       "(.*)[ ]*.*[\n]*")}, and libstdc++'s regex executor recurses once per matched character
 *       (~200 bytes of stack each). On a default 1 MiB Java thread stack any command line over ~4
 *       KB — a plain {@code java -cp} of ~50 jars, a shell glob of image files — overflowed it: a
 *       SIGSEGV without an hs_err file. The environment is therefore created on a dedicated thread
 *       whose stack is sized from the command line's length ({@link #stackBytesFor(long)}). This
 *       happens once per process; sessions and runs do not read the command line again and may use
 *       any thread. (ONNX Runtime skips the telemetry client, and with it the regex, when {@code
 *       ORT_DISABLE_TELEMETRY=1} (the name in 1.29) or a CI variable such as {@code CI=true} is set
 *       in the environment; the workaround does not depend on it.)
 * </ol>
 *
 * <pre>{@code
 * OrtEnvironment env = OrtNative.environment();          // safe on any thread, any command line
 * try (OrtSession s = env.createSession(bytes, new OrtSession.SessionOptions())) { ... }
 * }</pre>
 */
public final class OrtNative {

  private static final Logger log = LoggerFactory.getLogger(OrtNative.class);

  /** Stack of the thread that creates the environment, before the command line's share. */
  static final long BASE_STACK_BYTES = 16L << 20;

  /** Stack reserved per byte of {@code /proc/self/cmdline} (measured: ~200; twice that kept). */
  static final long STACK_BYTES_PER_COMMAND_LINE_BYTE = 512;

  private static volatile OrtEnvironment environment;

  private OrtNative() {}

  /**
   * The process-wide ONNX Runtime environment, created on first use (libraries loaded from the
   * native cache, environment created on a large-stack thread). Safe to call from any thread.
   *
   * @throws IllegalStateException when ONNX Runtime cannot be loaded or the environment cannot be
   *     created
   */
  public static OrtEnvironment environment() {
    OrtEnvironment env = environment;
    if (env != null) return env;
    synchronized (OrtNative.class) {
      if (environment == null) {
        NativeCache.useForOnnxRuntime();
        long stack = stackBytesFor(commandLineBytes());
        environment = onLargeStack("vitmae-ort-environment", stack, OrtEnvironment::getEnvironment);
        NativeCache.removeOrtTempFolder();
      }
      return environment;
    }
  }

  /**
   * The folder ONNX Runtime's native libraries are loaded from when this class chose it, or {@code
   * null} (the application set {@code onnxruntime.native.path} itself, or the cache could not be
   * used and ONNX Runtime extracted them to {@code java.io.tmpdir}).
   */
  public static Path nativeLibraryFolder() {
    return NativeCache.chosenFolder();
  }

  /**
   * Runs {@code call} on a new thread with a {@code stackBytes} stack and returns its value, or
   * rethrows its unchecked exception or error in the calling thread. The calling thread's context
   * class loader is passed on; an interrupt while waiting is kept for the caller.
   */
  public static <T> T onLargeStack(String threadName, long stackBytes, Supplier<T> call) {
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
            threadName,
            stackBytes);
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
    if (t != null) throw new IllegalStateException(t);
    return value.get();
  }

  /** The stack that fits ONNX Runtime's regex over a command line of {@code length} bytes. */
  static long stackBytesFor(long commandLineBytes) {
    return BASE_STACK_BYTES + STACK_BYTES_PER_COMMAND_LINE_BYTE * Math.max(0, commandLineBytes);
  }

  /** Length of {@code /proc/self/cmdline}; 0 where there is none (macOS, Windows). */
  static long commandLineBytes() {
    Path cmdline = Path.of("/proc/self/cmdline");
    if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) return 0;
    try {
      return Files.readAllBytes(cmdline).length;
    } catch (IOException | RuntimeException e) {
      // The kernel caps all arguments together at ARG_MAX (usually 2 MiB): plan for it.
      log.debug("cannot read {} ({}); assuming the largest command line", cmdline, e.toString());
      return 2L << 20;
    }
  }
}
