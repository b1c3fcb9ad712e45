package dev.vitmae.cli;

import dev.vitmae.datasets.DatasetSplits;
import dev.vitmae.datasets.masks.MultiBlockConfig;
import dev.vitmae.graph.config.IjepaConfig;
import dev.vitmae.graph.config.MaeConfig;
import dev.vitmae.graph.config.Pooling;
import dev.vitmae.graph.config.PosEmbedding;
import dev.vitmae.graph.config.TrainConfig;
import dev.vitmae.graph.config.ViTConfig;
import dev.vitmae.graph.train.Checkpoint;
import dev.vitmae.graph.train.IjepaTask;
import dev.vitmae.graph.train.MaeTask;
import dev.vitmae.graph.train.ModelKind;
import dev.vitmae.graph.train.Task;
import dev.vitmae.graph.train.Tasks;
import dev.vitmae.graph.train.Trainer;
import dev.vitmae.graph.train.VitTask;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vitmae train vit|mae|ijepa}: trains with progress, per-epoch evaluation, metrics CSV and
 * checkpoints in {@code --out}; {@code --resume} continues the checkpoint there.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a ViT classifier, an MAE or I-JEPA; writes checkpoint.zip, metrics.csv and pictures to --out.")
final class TrainCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "vit, mae or ijepa.")
    private ModelKind kind;

    @Mixin
    private DatasetOptions dataset;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Run directory.")
    private Path out;

    @Option(names = "--resume", description = "Continue the checkpoint in --out (its model and optimizer settings; --epochs may raise the total).")
    private boolean resume;

    @Option(names = "--init-encoder", paramLabel = "CHECKPOINT",
            description = "MAE or I-JEPA: start the encoder from a trained checkpoint's encoder/ weights (e.g. a ViT).")
    private Path initEncoder;

    @Option(names = "--epochs", paramLabel = "N", description = "Total epochs (default: 3).")
    private Integer epochs;

    @Option(names = "--max-epochs", paramLabel = "N", defaultValue = "" + Integer.MAX_VALUE,
            description = "Stop after this many epochs in this invocation (resume later).")
    private int maxEpochs;

    @Option(names = "--limit-train", paramLabel = "N", description = "Use only the first N training images.")
    private Integer limitTrain;

    @Option(names = "--limit-test", paramLabel = "N", description = "Evaluate on the first N test images only.")
    private Integer limitTest;

    @Mixin
    private Optim optim;

    @Mixin
    private ModelOptions model;

    @Spec
    private CommandSpec spec;

    /** Optimizer and schedule options. */
    static final class Optim {
        @Option(names = "--batch-size", defaultValue = "512") int batchSize;
        @Option(names = "--micro-batch", defaultValue = "128", description = "Gradient-accumulation chunk (0 = whole batch).") int microBatch;
        @Option(names = "--lr", defaultValue = "1e-4") double lr;
        @Option(names = "--beta1", defaultValue = "0.9") double beta1;
        @Option(names = "--beta2", defaultValue = "0.999") double beta2;
        @Option(names = "--weight-decay", defaultValue = "0") double weightDecay;
        @Option(names = "--warmup-steps", defaultValue = "0") int warmupSteps;
        @Option(names = "--cosine", description = "Cosine decay to --min-lr after warm-up.") boolean cosine;
        @Option(names = "--min-lr", defaultValue = "0") double minLr;
        @Option(names = "--train-seed", defaultValue = "42", description = "Seeds init, batch order and masks.") long seed;

        TrainConfig config(int epochs) {
            return new TrainConfig(epochs, batchSize, lr, beta1, beta2, 1e-8, weightDecay, warmupSteps, cosine, minLr,
                    microBatch, seed);
        }
    }

    /** Model options (ignored with --resume: the checkpoint's config is used). */
    static final class ModelOptions {
        @Option(names = "--patch-size", defaultValue = "7") int patchSize;
        @Option(names = "--dim", defaultValue = "128") int dim;
        @Option(names = "--depth", defaultValue = "1") int depth;
        @Option(names = "--heads", defaultValue = "8") int heads;
        @Option(names = "--dim-head", defaultValue = "64") int dimHead;
        @Option(names = "--mlp-dim", defaultValue = "128") int mlpDim;
        @Option(names = "--pool", defaultValue = "cls", description = "cls or mean.") Pooling pool;
        @Option(names = "--pos", defaultValue = "learned", description = "learned or sincos.") PosEmbedding pos;
        @Option(names = "--masking-ratio", defaultValue = "0.25") double maskingRatio;
        @Option(names = "--decoder-dim", defaultValue = "512") int decoderDim;
        @Option(names = "--decoder-depth", defaultValue = "1") int decoderDepth;
        @Option(names = "--decoder-heads", defaultValue = "8") int decoderHeads;
        @Option(names = "--decoder-dim-head", defaultValue = "64") int decoderDimHead;
        @Option(names = "--decoder-mlp-dim", defaultValue = "2048") int decoderMlpDim;
        @Option(names = "--norm-pix-loss", description = "MAE: per-patch normalized pixel targets.") boolean normPixLoss;
        @Option(names = "--predictor-dim", defaultValue = "64", description = "I-JEPA predictor width.") int predictorDim;
        @Option(names = "--predictor-depth", defaultValue = "2") int predictorDepth;
        @Option(names = "--predictor-heads", defaultValue = "4") int predictorHeads;
        @Option(names = "--predictor-dim-head", defaultValue = "32") int predictorDimHead;
        @Option(names = "--predictor-mlp-dim", defaultValue = "256") int predictorMlpDim;
        @Option(names = "--target-blocks", defaultValue = "4", description = "I-JEPA target blocks per image.") int targetBlocks;
        @Option(names = "--ema", defaultValue = "0.996,1.0", split = ",", paramLabel = "START,END",
                description = "I-JEPA target-encoder momentum, linear from START to END over training.") double[] ema;

        ViTConfig vit(int imageSize, int channels) {
            return new ViTConfig(imageSize, patchSize, channels, dim, depth, heads, dimHead, mlpDim, 10, pool, pos);
        }

        MaeConfig mae(int imageSize, int channels) {
            return new MaeConfig(vit(imageSize, channels), maskingRatio, decoderDim, decoderDepth, decoderHeads,
                    decoderDimHead, decoderMlpDim, normPixLoss);
        }

        IjepaConfig ijepa(int imageSize, int channels) {
            if (ema.length != 2) throw new IllegalArgumentException("--ema takes START,END, got " + ema.length + " values");
            ViTConfig encoder = vit(imageSize, channels);
            MultiBlockConfig masks = MultiBlockConfig.defaultsFor(encoder.gridSize(), encoder.gridSize())
                    .withNPred(targetBlocks);
            return new IjepaConfig(encoder, predictorDim, predictorDepth, predictorHeads, predictorDimHead,
                    predictorMlpDim, masks, ema[0], ema[1]);
        }
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter log = spec.commandLine().getOut();
        DatasetSplits data = limit(dataset.load());
        Path checkpointFile = out.resolve(Trainer.CHECKPOINT);
        Trainer trainer;
        if (resume) {
            Checkpoint checkpoint = Checkpoint.read(checkpointFile);
            if (checkpoint.kind() != kind) {
                throw new IllegalArgumentException(checkpointFile + " holds a " + checkpoint.kind() + ", not a " + kind);
            }
            TrainConfig config = epochs == null ? checkpoint.train() : checkpoint.train().withEpochs(epochs);
            trainer = Trainer.resume(Tasks.of(checkpoint), config, checkpoint);
            log.printf(Locale.ROOT, "resuming %s after epoch %d (step %d)%n", checkpointFile, trainer.epochsDone(),
                    trainer.step());
        } else {
            int size = data.train().imageSize();
            int channels = data.train().channels();
            Task task = switch (kind) {
                case VIT -> new VitTask(model.vit(size, channels));
                case MAE -> new MaeTask(model.mae(size, channels));
                case IJEPA -> new IjepaTask(model.ijepa(size, channels));
            };
            trainer = new Trainer(task, optim.config(epochs == null ? 3 : epochs));
            if (initEncoder != null) {
                List<String> copied = trainer.loadParams(Checkpoint.read(initEncoder).params(), true)
                        .stream().filter(n -> n.startsWith("encoder/")).toList();
                if (copied.isEmpty()) {
                    throw new IllegalArgumentException(initEncoder + " has no encoder/ weights of matching shape");
                }
                log.printf(Locale.ROOT, "encoder initialized from %s (%d tensors)%n", initEncoder, copied.size());
            }
        }
        log.printf(Locale.ROOT, "%s on %s: %d train / %d test images, %s%n", kind, data.train().name(),
                data.train().count(), data.requireTest().count(), trainer.task().configJson());
        log.flush();
        trainer.fit(data, out, maxEpochs, new ProgressBar(spec.commandLine().getErr(), log));
        Pictures.writePng(LossCurve.draw(out.resolve(Trainer.METRICS)), out.resolve("loss.png"));
        if (trainer.task() instanceof MaeTask mae) {
            Reconstructions.write(trainer.graph(), mae, data.requireTest(), 8, 7, out.resolve("reconstruction.png"));
        }
        log.printf(Locale.ROOT, "wrote %s, %s, %s%n", checkpointFile, out.resolve(Trainer.METRICS), out.resolve("loss.png"));
        return 0;
    }

    private DatasetSplits limit(DatasetSplits s) {
        var train = limitTrain == null ? s.train() : s.train().head(limitTrain);
        var test = limitTest == null ? s.requireTest() : s.requireTest().head(limitTest);
        return new DatasetSplits(train, test);
    }
}
