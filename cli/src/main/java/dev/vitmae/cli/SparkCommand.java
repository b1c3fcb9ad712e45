package dev.vitmae.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code vitmae spark}, listed here so that {@code vitmae --help} shows it: the Spark job has its
 * own classpath (spark/vitmae-spark), to which the {@code ./vitmae} launcher hands every {@code
 * vitmae spark ...} command line before this class could see it.
 */
@Command(
    name = "spark",
    mixinStandardHelpOptions = true,
    description = {
      "Embed or classify image files at scale with Apache Spark into Parquet (./vitmae spark --help).",
      "Runs as its own job: the ./vitmae launcher starts spark/vitmae-spark; with spark-submit,"
          + " the main class is dev.vitmae.spark.SparkJob."
    })
final class SparkCommand implements Callable<Integer> {
  @Unmatched private List<String> args;

  @Override
  public Integer call() {
    throw new IllegalStateException(
        "the Spark job runs as its own program: start it with './vitmae spark "
            + (args == null || args.isEmpty() ? "--help" : String.join(" ", args))
            + "' (or spark/vitmae-spark, or spark-submit with dev.vitmae.spark.SparkJob)");
  }
}
