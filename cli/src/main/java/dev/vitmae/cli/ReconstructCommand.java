package dev.vitmae.cli;

import dev.vitmae.graph.train.Checkpoint;
import dev.vitmae.graph.train.MaeTask;
import dev.vitmae.graph.train.Tasks;
import dev.vitmae.graph.train.Trainer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code vitmae reconstruct}: the MAE reconstruction picture of test images. */
@Command(name = "reconstruct", mixinStandardHelpOptions = true,
        description = "Write original | masked | reconstruction | reconstruction + visible for N test images.")
final class ReconstructCommand implements Callable<Integer> {
    @Option(names = "--checkpoint", required = true, paramLabel = "FILE") private Path checkpoint;
    @Mixin private DatasetOptions dataset;
    @Option(names = "-n", defaultValue = "8") private int count;
    @Option(names = "--mask-seed", defaultValue = "7") private long maskSeed;
    @Option(names = "--out", required = true, paramLabel = "FILE.png") private Path out;
    @Spec private CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Trainer trainer = Tasks.restore(Checkpoint.read(checkpoint));
        if (!(trainer.task() instanceof MaeTask mae)) {
            throw new IllegalArgumentException(checkpoint + " holds a " + trainer.task().kind() + ", not an MAE");
        }
        Reconstructions.write(trainer.graph(), mae, dataset.load().test(), count, maskSeed, out);
        spec.commandLine().getOut().println("wrote " + out);
        return 0;
    }
}
