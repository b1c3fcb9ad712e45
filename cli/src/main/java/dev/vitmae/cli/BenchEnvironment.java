package dev.vitmae.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What a benchmark number depends on besides the code: CPU, JVM, thread settings, the exact command
 * line.
 */
final class BenchEnvironment {
  private BenchEnvironment() {}

  /**
   * Markdown bullet lines: command, CPU, JVM, {@code OMP_NUM_THREADS}, {@code OPENBLAS_CORETYPE},
   * then {@code extra}.
   */
  static List<String> describe(List<String> args, List<String> extra) {
    Runtime rt = Runtime.getRuntime();
    List<String> lines = new ArrayList<>();
    lines.add("- command: `" + commandLine(args) + "`");
    lines.add(
        "- CPU: "
            + cpuModel().orElse("unknown")
            + ", "
            + rt.availableProcessors()
            + " processors available");
    lines.add(
        String.format(
            Locale.ROOT,
            "- JVM: %s %s (%s), max heap %d MiB, %s %s",
            System.getProperty("java.vm.name"),
            System.getProperty("java.version"),
            System.getProperty("java.vm.vendor"),
            rt.maxMemory() >> 20,
            System.getProperty("os.name"),
            System.getProperty("os.arch")));
    lines.add(
        "- OMP_NUM_THREADS="
            + env("OMP_NUM_THREADS")
            + ", OPENBLAS_CORETYPE="
            + env("OPENBLAS_CORETYPE"));
    extra.forEach(e -> lines.add("- " + e));
    return lines;
  }

  /** {@code vitmae} and the arguments, each quoted for a POSIX shell when it needs to be. */
  static String commandLine(List<String> args) {
    return Stream.concat(Stream.of("vitmae"), args.stream().map(BenchEnvironment::quote))
        .collect(Collectors.joining(" "));
  }

  /** The first {@code model name} of /proc/cpuinfo, if readable. */
  static Optional<String> cpuModel() {
    try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
      return lines
          .filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static String env(String name) {
    String value = System.getenv(name);
    return value == null ? "(unset)" : value;
  }

  private static String quote(String arg) {
    return arg.matches("[A-Za-z0-9_./:=,@%+-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'";
  }

  /** The process's peak resident set (VmHWM of /proc/self/status) in MiB, or -1 where unknown. */
  static long peakRssMiB() {
    try {
      for (String line :
          java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) >> 10;
        }
      }
    } catch (java.io.IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}
