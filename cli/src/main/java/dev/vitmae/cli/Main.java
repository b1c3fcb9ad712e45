package dev.vitmae.cli;

import dev.vitmae.runtime.GpuUnavailableException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * The {@code vitmae} command line. Subcommands are listed once, in the annotation below; add a new
 * one there. Expected failures ({@link IOException}, {@link IllegalArgumentException}, {@link
 * IllegalStateException}, a bad image) print {@code vitmae: <message>} and exit 1 (a stack trace
 * too when {@code VITMAE_DEBUG=1}); bad parameters print the usage and exit 2.
 */
@Command(
    name = "vitmae",
    mixinStandardHelpOptions = true,
    versionProvider = Main.VersionProvider.class,
    description = "Self-supervised Vision Transformers (ViT, MAE, I-JEPA) in SameDiff.",
    subcommands = {
      DataCommand.class,
      TrainCommand.class,
      EvalCommand.class,
      ReconstructCommand.class,
      AttentionCommand.class,
      PlotCommand.class,
      ExportCommand.class,
      ImportCommand.class,
      ParityCommand.class,
      EmbedCommand.class,
      ClassifyCommand.class,
      BenchCommand.class,
      SparkCommand.class,
    })
public final class Main implements Runnable {
  public static final String VERSION = dev.vitmae.export.Version.VITMAE;
  static final String DEBUG_ENV = "VITMAE_DEBUG";

  @Spec private CommandSpec spec;

  /** {@code vitmae <version>}, the version of the build. */
  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"vitmae " + VERSION};
    }
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing subcommand");
  }

  public static void main(String[] args) {
    // ND4J 1.0.0-M2.1 prints "Added differentiated op ..." for every op of a backward pass with a
    // bare
    // System.out.println (no logging setting reaches it). This process is ours: drop those lines.
    System.setOut(new OpLineFilter(System.out));
    System.exit(run(args));
  }

  /**
   * Runs the command line on System.out / System.err and returns the exit code (no System.exit).
   */
  public static int run(String... args) {
    return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
  }

  /** Runs the command line writing to {@code out} and {@code err}; returns the exit code. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    // Pictures are drawn with AWT; there is never a display.
    System.setProperty("java.awt.headless", "true");
    CommandLine cli =
        new CommandLine(new Main())
            .setOut(out)
            .setErr(err)
            .setCaseInsensitiveEnumValuesAllowed(true)
            .setExecutionExceptionHandler(Main::handleFailure);
    try {
      return cli.execute(args);
    } finally {
      out.flush();
      err.flush();
    }
  }

  /** Expected failures become one line on stderr and exit code 1; anything else propagates. */
  private static int handleFailure(Exception ex, CommandLine cli, ParseResult parsed)
      throws Exception {
    Throwable failure = ex instanceof UncheckedIOException unchecked ? unchecked.getCause() : ex;
    if (!(failure instanceof IOException
        || failure instanceof IllegalArgumentException
        || failure instanceof IllegalStateException
        || failure instanceof dev.vitmae.datasets.ImageSourceException)) {
      throw ex;
    }
    PrintWriter err = cli.getErr();
    err.println("vitmae: " + describe(failure) + badImageHint(failure, parsed));
    if ("1".equals(System.getenv(DEBUG_ENV))) {
      failure.printStackTrace(err);
    }
    err.flush();
    return 1;
  }

  /** For a run stopped by a bad image: how to go past it with the command's own option, or "". */
  static String badImageHint(Throwable failure, ParseResult parsed) {
    boolean badImage = false;
    for (Throwable t = failure; t != null && !badImage; t = t.getCause()) {
      badImage = t instanceof dev.vitmae.images.BadImageException;
    }
    if (!badImage || parsed == null) return "";
    ParseResult command = parsed;
    while (command.subcommand() != null) command = command.subcommand();
    if (command.commandSpec().findOption("--skip-bad-images") != null
        && !command.hasMatchedOption("--skip-bad-images")) {
      return " (--skip-bad-images skips such files and lists them)";
    }
    if (command.hasMatchedOption("--fail-on-bad-image")) {
      return " (without --fail-on-bad-image such files are skipped and listed)";
    }
    return "";
  }

  /** A one-line message; file-system exceptions without a reason get one from their type. */
  static String describe(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (!(t instanceof GpuUnavailableException gpu)) continue;
      // The library's advice is Java's (Device.AUTO); here it is the command line's.
      return gpu.problem()
          + ". "
          + GpuUnavailableException.SETUP
          + "; or pass --device auto (the CPU when CUDA cannot be used) or --device cpu";
    }
    String message = failure.getMessage();
    if (failure instanceof FileSystemException fs && fs.getReason() == null) {
      String what =
          failure instanceof NoSuchFileException
              ? "no such file or directory"
              : failure.getClass().getSimpleName();
      return what + ": " + message;
    }
    return message == null || message.isBlank() ? failure.getClass().getSimpleName() : message;
  }
}
