package dev.vitmae.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code vitmae data info|preview|fetch|tiles}: look at the datasets, download MNIST, cut photos
 * into tiles.
 */
@Command(
    name = "data",
    mixinStandardHelpOptions = true,
    description = "Inspect, preview and fetch datasets.",
    subcommands = {
      DataInfoCommand.class,
      DataPreviewCommand.class,
      DataFetchCommand.class,
      DataTilesCommand.class,
    })
public final class DataCommand implements Runnable {
  @Spec private CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(), "missing subcommand: info, preview, fetch or tiles");
  }
}
