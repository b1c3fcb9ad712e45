package dev.vitmae.cli;

import dev.vitmae.datasets.DatasetKind;
import dev.vitmae.datasets.DatasetSplits;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code vitmae data info}: counts, image size, class histogram and pixel statistics of both
 * splits.
 */
@Command(
    name = "info",
    mixinStandardHelpOptions = true,
    description = "Print image counts, size, class histogram and pixel mean/std of train and test.")
final class DataInfoCommand implements Callable<Integer> {
  @Mixin private DatasetOptions dataset;

  @Spec private CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    DatasetSplits splits = dataset.load();
    DatasetOptions.reportBadImages(splits, spec.commandLine().getOut());
    print(
        spec.commandLine().getOut(),
        dataset.kind(),
        splits.train(),
        DatasetStats.of(splits.train()),
        splits.test().map(DatasetStats::of).orElse(null));
    return 0;
  }

  /**
   * Writes the two tables: one line per split, then one line per class (when labelled); {@code
   * test} may be null.
   */
  static void print(
      PrintWriter out,
      DatasetKind kind,
      dev.vitmae.datasets.ImageSource names,
      DatasetStats train,
      DatasetStats test) {
    out.println("dataset " + kind.cliName() + (names.hasLabels() ? "" : " (unlabelled)"));
    out.println();
    out.printf(Locale.ROOT, "%-6s %8s  %-8s  %6s  %6s%n", "split", "images", "size", "mean", "std");
    for (String split : new String[] {"train", "test"}) {
      DatasetStats s = split.equals("train") ? train : test;
      if (s == null) continue;
      out.printf(
          Locale.ROOT,
          "%-6s %8d  %-8s  %6.4f  %6.4f%n",
          split,
          s.count(),
          s.shape(),
          s.mean(),
          s.std());
    }
    if (train.histogram().length == 0) {
      out.flush();
      return;
    }
    out.println();
    out.printf(
        Locale.ROOT, "%-5s  %-12s %8s %7s %8s %7s%n", "class", "name", "train", "%", "test", "%");
    for (int c = 0; c < train.histogram().length; c++) {
      int inTest = test == null || test.histogram().length <= c ? 0 : test.histogram()[c];
      out.printf(
          Locale.ROOT,
          "%-5d  %-12s %8d %6.2f%% %8d %6.2f%%%n",
          c,
          ClassNames.of(names, c),
          train.histogram()[c],
          100.0 * train.histogram()[c] / train.count(),
          inTest,
          test == null ? 0 : 100.0 * inTest / test.count());
    }
    out.flush();
  }
}
