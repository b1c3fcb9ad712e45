package dev.vitmae.cli;

import dev.vitmae.datasets.DatasetSplits;
import dev.vitmae.graph.train.Checkpoint;
import dev.vitmae.graph.train.Tasks;
import dev.vitmae.graph.train.Trainer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code vitmae eval}: the metrics of a checkpoint on a dataset's test split. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Print a checkpoint's test metric (MAE: masked-patch MSE over fixed seeded masks; ViT: accuracy).")
final class EvalCommand implements Callable<Integer> {
    @Option(names = "--checkpoint", required = true, paramLabel = "FILE") private Path checkpoint;
    @Mixin private DatasetOptions dataset;
    @Option(names = "--batch-size", defaultValue = "256") private int batchSize;
    @Spec private CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Checkpoint ckpt = Checkpoint.read(checkpoint);
        Trainer trainer = Tasks.restore(ckpt);
        DatasetSplits data = dataset.load();
        double value = trainer.task().evaluate(trainer.graph(), data.test(), batchSize);
        spec.commandLine().getOut().printf(Locale.ROOT, "%s %s after %d epochs (step %d) on %s test (%d images): %s %.5f%n",
                ckpt.kind(), checkpoint, ckpt.progress().epochsDone(), ckpt.progress().step(), data.test().name(),
                data.test().count(), trainer.task().metricName(), value);
        return 0;
    }
}
