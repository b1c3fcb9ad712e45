package dev.vitmae.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code vitmae bench ...}: benchmarks. Each one is a subcommand listed below; they share {@link
 * Timings} (the measurement loop and percentiles), {@link BenchEnvironment} (the machine and
 * settings a number was measured under) and {@link MarkdownTable} (the report).
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks whose Markdown tables go into the docs.",
    subcommands = {
      BenchInferCommand.class,
      BenchTrainCommand.class,
    })
public final class BenchCommand implements Runnable {
  @Spec private CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(),
        "missing subcommand: "
            + String.join(
                ", ",
                spec.subcommands().keySet().stream()
                    .filter(name -> !name.equals("help"))
                    .toList()));
  }
}
