package dev.vitmae.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vitmae plot}: the loss curve of a run from its metrics.csv. */
@Command(
    name = "plot",
    mixinStandardHelpOptions = true,
    description = "Draw the training loss per step and the test metric per epoch.")
final class PlotCommand implements Callable<Integer> {
  @Option(
      names = "--metrics",
      required = true,
      paramLabel = "FILE.csv",
      description = "The run's metrics.csv; its steps.csv beside it gives the per-step loss.")
  private Path metrics;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE.png",
      description = "The picture to write.")
  private Path out;

  @Spec private CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    Path steps = metrics.toAbsolutePath().resolveSibling(dev.vitmae.graph.train.Trainer.STEPS);
    Pictures.writePng(LossCurve.draw(steps, metrics), out);
    spec.commandLine().getOut().println("wrote " + out);
    return 0;
  }
}
