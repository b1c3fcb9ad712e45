package dev.vitmae.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.AnnotatedElement;
import java.util.ArrayList;
import java.util.IllegalFormatException;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Every help text is a valid format string: picocli formats descriptions with {@link
 * String#format}, and a bare {@code %} (as in "75% masking") makes it print a warning and the raw
 * text on every {@code --help}.
 */
class HelpTextTest {
  @Test
  void everyDescriptionFormats() {
    List<String> bad = new ArrayList<>();
    check(new CommandLine(new Main()), bad);
    assertEquals(List.of(), bad, "descriptions with an unescaped % (write %%)");
  }

  /**
   * Renders every command's {@code --help} and names each option, parameter or command that the
   * help leaves unexplained, and each command whose one-line summary (the first description line,
   * which {@code vitmae --help} lists) does not end a sentence.
   */
  @Test
  void everyCommandsHelpRendersAndDescribesEveryOption() {
    List<String> undescribed = new ArrayList<>();
    describe(new CommandLine(new Main()), undescribed);
    assertEquals(List.of(), undescribed);
  }

  private static void describe(CommandLine cli, List<String> undescribed) {
    CommandSpec spec = cli.getCommandSpec();
    String help = cli.getUsageMessage(CommandLine.Help.Ansi.OFF);
    if (!help.startsWith("Usage: ")) undescribed.add(spec.qualifiedName() + ": no usage: " + help);
    String[] summary = spec.usageMessage().description();
    if (summary.length == 0 || !summary[0].strip().matches(".*[.)]$")) {
      undescribed.add(spec.qualifiedName() + ": summary " + List.of(summary));
    }
    List<ArgSpec> args = new ArrayList<>(spec.options());
    args.addAll(spec.positionalParameters());
    for (ArgSpec arg : args) {
      if (arg.hidden()) continue;
      if (String.join("", arg.description()).isBlank()) {
        undescribed.add(spec.qualifiedName() + " " + arg.paramLabel() + " " + names(arg));
      }
    }
    cli.getSubcommands().values().forEach(sub -> describe(sub, undescribed));
  }

  private static String names(ArgSpec arg) {
    return arg instanceof CommandLine.Model.OptionSpec o ? List.of(o.names()).toString() : "";
  }

  private static void check(CommandLine cli, List<String> bad) {
    CommandSpec spec = cli.getCommandSpec();
    List<ArgSpec> args = new ArrayList<>(spec.options());
    args.addAll(spec.positionalParameters());
    for (ArgSpec arg : args) {
      // The annotation's own text: ArgSpec.description() is already interpolated.
      if (!(arg.userObject() instanceof AnnotatedElement element)) continue;
      Option option = element.getAnnotation(Option.class);
      Parameters parameters = element.getAnnotation(Parameters.class);
      String[] raw =
          option != null
              ? option.description()
              : parameters != null ? parameters.description() : new String[0];
      for (String line : raw) {
        try {
          String.format(Locale.ROOT, line.replaceAll("\\$\\{[^}]*}", "x"));
        } catch (IllegalFormatException e) {
          bad.add(spec.qualifiedName() + " " + arg + ": " + line);
        }
      }
    }
    for (String line : spec.usageMessage().description()) {
      try {
        String.format(Locale.ROOT, line);
      } catch (IllegalFormatException e) {
        bad.add(spec.qualifiedName() + ": " + line);
      }
    }
    cli.getSubcommands().values().forEach(sub -> check(sub, bad));
  }
}
