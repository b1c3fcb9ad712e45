package dev.vitmae.cli;

import dev.vitmae.api.TrainedModel;
import dev.vitmae.datasets.DatasetSplits;
import dev.vitmae.datasets.ImageSource;
import dev.vitmae.graph.train.Checkpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vitmae eval}: the metrics of a checkpoint on a dataset's test split. */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    subcommands = ProbeCommand.class,
    description =
        "Print a checkpoint's test metric (MAE: masked-patch MSE over fixed seeded masks; ViT: accuracy;"
            + " I-JEPA: loss over fixed seeded masks). 'eval probe': linear-probe accuracy.")
final class EvalCommand implements Callable<Integer> {
  // Neither is required by picocli: 'eval probe' takes neither.
  @Option(
      names = "--checkpoint",
      paramLabel = "FILE",
      description = "The checkpoint to evaluate (required unless 'eval probe').")
  private Path checkpoint;

  @ArgGroup(exclusive = false, multiplicity = "0..1")
  private DatasetOptions dataset;

  @Option(
      names = "--batch-size",
      paramLabel = "N",
      defaultValue = "256",
      description = "Images per evaluation batch (default: ${DEFAULT-VALUE}).")
  private int batchSize;

  @Spec private CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    if (checkpoint == null || dataset == null) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(),
          "vitmae eval needs --checkpoint and --dataset (or use 'vitmae eval probe')");
    }
    TrainedModel model = TrainedModel.load(checkpoint);
    Checkpoint ckpt = model.checkpoint();
    DatasetSplits data = dataset.load(ckpt.info());
    DatasetOptions.reportBadImages(data, spec.commandLine().getOut());
    ImageSource test = data.requireTest();
    TrainedModel.Score score;
    try {
      score = model.evaluate(test, batchSize);
    } catch (IllegalArgumentException e) {
      if (test.hasLabels()) throw e;
      throw new IllegalArgumentException(e.getMessage() + " (a folder needs class subfolders)", e);
    }
    spec.commandLine()
        .getOut()
        .printf(
            Locale.ROOT,
            "%s %s after %d epochs (step %d) on %s test (%d images): %s %.5f%n",
            ckpt.kind(),
            checkpoint,
            ckpt.progress().epochsDone(),
            ckpt.progress().step(),
            test.name(),
            test.count(),
            score.metric(),
            score.value());
    model
        .meanColourFloor(test)
        .ifPresent(
            floor ->
                spec.commandLine()
                    .getOut()
                    .printf(
                        Locale.ROOT,
                        "floor: each masked pixel as its image's visible mean colour, same masks:"
                            + " %.5f (%.2fx the model's)%n",
                        floor,
                        floor / score.value()));
    return 0;
  }
}
