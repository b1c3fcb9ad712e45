package dev.vitmae.cli;

import dev.vitmae.contract.MaeMasking;
import dev.vitmae.datasets.DatasetSplits;
import dev.vitmae.datasets.ImageFolder;
import dev.vitmae.datasets.ImageSource;
import dev.vitmae.graph.train.Checkpoint;
import dev.vitmae.graph.train.MaeTask;
import dev.vitmae.graph.train.Tasks;
import dev.vitmae.graph.train.Trainer;
import dev.vitmae.images.Preprocessing;
import dev.vitmae.runtime.MaeView;
import dev.vitmae.runtime.VitModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vitmae reconstruct}: the MAE reconstruction picture of test images, from a checkpoint or
 * an exported MAE.
 */
@Command(
    name = "reconstruct",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Draw an MAE's reconstructions of N images into one picture, one row per image.",
      "  --checkpoint: original | masked | reconstruction | reconstruction + visible (SameDiff);",
      "  --onnx: original | masked | reconstruction with the visible patches passed through (ONNX Runtime)."
    })
final class ReconstructCommand implements Callable<Integer> {
  @ArgGroup(exclusive = true, multiplicity = "1", heading = "Model (exactly one):%n")
  private Model model;

  /** The two sources of an MAE; picocli rejects both at once. */
  static final class Model {
    @Option(
        names = "--checkpoint",
        required = true,
        paramLabel = "FILE",
        description = "An MAE training checkpoint.")
    private Path checkpoint;

    @Option(
        names = "--onnx",
        required = true,
        paramLabel = "mae.onnx",
        description = "An exported MAE.")
    private Path onnx;
  }

  @ArgGroup(
      exclusive = true,
      multiplicity = "1",
      heading = "Images (--dataset's test split or --images):%n")
  private Images images;

  /** A dataset's test split, or image files of any size put through the model's preprocessing. */
  static final class Images {
    @ArgGroup(exclusive = false)
    private DatasetOptions dataset;

    @Option(
        names = "--images",
        arity = "1..*",
        paramLabel = "FILE_OR_DIR",
        description =
            "Image files or folders (any size and format; bad files are skipped and listed).")
    private List<Path> files;

    ImageSource load(Preprocessing preprocessing, PrintWriter log, boolean failOnBadImage)
        throws IOException {
      if (files == null) return dataset.load(preprocessing.toMetadata()).requireTest();
      DatasetSplits read =
          ImageFolder.builderForFiles(ImageFolder.imageFiles(files))
              .preprocessing(preprocessing)
              .skipBadImages(!failOnBadImage)
              .build();
      DatasetOptions.reportBadImages(read, log);
      return read.train();
    }
  }

  @Option(
      names = "-n",
      defaultValue = "8",
      paramLabel = "N",
      description = "Images (default: ${DEFAULT-VALUE}).")
  private int count;

  @Option(
      names = "--mask-seed",
      defaultValue = "7",
      paramLabel = "SEED",
      description = "Seed of the random masks (default: ${DEFAULT-VALUE}).")
  private long maskSeed;

  @Option(
      names = "--masking-ratio",
      paramLabel = "R",
      description =
          "Fraction of patches masked (default: the"
              + " checkpoint's; with --onnx the ratio the model records, else "
              + MaeMasking.DEFAULT_RATIO
              + ").")
  private Double maskingRatio;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE.png",
      description = "The picture to write.")
  private Path out;

  @Option(
      names = "--fail-on-bad-image",
      description =
          "Stop at the first image that cannot be decoded or that the model refuses, naming it"
              + " (default: skip it, list it and go on).")
  private boolean failOnBadImage;

  @Mixin private OnnxOptions serving;
  @Spec private CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    if (count <= 0) {
      throw new IllegalArgumentException("-n must be positive, got " + count);
    }
    PrintWriter log = spec.commandLine().getOut();
    if (model.checkpoint != null) {
      Trainer trainer = Tasks.restore(Checkpoint.read(model.checkpoint));
      if (!(trainer.task() instanceof MaeTask mae)) {
        throw new IllegalArgumentException(
            model.checkpoint + " holds a " + trainer.task().kind() + ", not an MAE");
      }
      double ratio = maskingRatio != null ? maskingRatio : mae.config().maskingRatio();
      Checkpoint ckpt = trainer.checkpoint();
      Preprocessing p =
          Preprocessing.isRecordedIn(ckpt.info())
              ? Preprocessing.fromMetadata(ckpt.info())
              : Preprocessing.of(
                  mae.config().encoder().imageSize(), mae.config().encoder().channels());
      Reconstructions.write(
          trainer, ratio, images.load(p, log, failOnBadImage), count, maskSeed, out);
      log.printf(Locale.ROOT, "wrote %s (masking ratio %s)%n", out, ratio);
      return 0;
    }
    MaeView mae = serving.open(model.onnx, VitModel::mae, "reconstruct --onnx");
    try (VitModel served = mae.model()) {
      double ratio = maskingRatio != null ? maskingRatio : mae.maskingRatio();
      Reconstructions.write(
          mae,
          ratio,
          images.load(mae.preprocessing(), log, failOnBadImage),
          count,
          maskSeed,
          out,
          failOnBadImage,
          log);
      log.printf(
          Locale.ROOT, "wrote %s (masking ratio %s, %s)%n", out, ratio, serving.describe(served));
    }
    return 0;
  }
}
