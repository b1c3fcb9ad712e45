package dev.vitmae.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Runs the command line in-process and captures what it prints; for tests. */
record CliRun(int exitCode, String out, String err) {
  /**
   * The tiny models exported by vitmae that the runtime module's tests use (dim 16, 28x28 images,
   * 7x7 patches).
   */
  static final Path MODELS = Path.of("..", "runtime", "src", "test", "resources", "models");

  static CliRun vitmae(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
    return new CliRun(code, out.toString(), err.toString());
  }

  static String model(String name) {
    return MODELS.resolve(name).toString();
  }

  /** The lines of a CSV file, each split at commas. */
  static List<String[]> csv(Path file) throws IOException {
    return Files.readAllLines(file).stream().map(line -> line.split(",", -1)).toList();
  }
}
