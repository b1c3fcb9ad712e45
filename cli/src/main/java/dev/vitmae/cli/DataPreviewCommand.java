package dev.vitmae.cli;

import dev.vitmae.datasets.ImageSource;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code vitmae data preview}: a PNG grid of the first images of a split, each labelled. */
@Command(
    name = "preview",
    mixinStandardHelpOptions = true,
    description = "Write a PNG grid of the first N images of a split with their labels.")
final class DataPreviewCommand implements Callable<Integer> {
  enum Split {
    TRAIN,
    TEST
  }

  @Mixin private DatasetOptions dataset;

  @Option(
      names = "--split",
      paramLabel = "SPLIT",
      defaultValue = "train",
      description = "train or test (default: ${DEFAULT-VALUE}).")
  private Split split;

  @Option(
      names = "-n",
      paramLabel = "N",
      defaultValue = "64",
      description = "Number of images (default: ${DEFAULT-VALUE}).")
  private int count;

  @Option(
      names = "--cols",
      paramLabel = "N",
      defaultValue = "8",
      description = "Images per row (default: ${DEFAULT-VALUE}).")
  private int cols;

  @Option(
      names = "--scale",
      paramLabel = "K",
      defaultValue = "4",
      description = "Magnification, pixels per image pixel (default: ${DEFAULT-VALUE}).")
  private int scale;

  @Option(
      names = "--out",
      paramLabel = "FILE.png",
      required = true,
      description = "The PNG to write.")
  private Path out;

  @Spec private CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    if (count <= 0 || cols <= 0 || scale <= 0 || scale > 64) {
      throw new ParameterException(
          spec.commandLine(),
          "-n and --cols must be positive and --scale within 1..64, got "
              + count
              + ", "
              + cols
              + ", "
              + scale);
    }
    var splits = dataset.load();
    ImageSource data = split == Split.TRAIN ? splits.train() : splits.requireTest();
    int shown = Math.min(count, data.count());
    List<float[]> images = new ArrayList<>(shown);
    List<String> captions = new ArrayList<>(shown);
    for (int i = 0; i < shown; i++) {
      images.add(grayscale(data, i));
      captions.add(data.hasLabels() ? ClassNames.of(data, data.label(i)) : Integer.toString(i));
    }
    BufferedImage grid =
        Pictures.grid(images, data.imageSize(), data.imageSize(), cols, scale, captions);
    Pictures.writePng(grid, out);
    spec.commandLine()
        .getOut()
        .printf(
            Locale.ROOT,
            "wrote %s: %d %s images of %s, %dx%d pixels%n",
            out,
            shown,
            split.name().toLowerCase(Locale.ROOT),
            dataset.kind().cliName(),
            grid.getWidth(),
            grid.getHeight());
    return 0;
  }

  /**
   * Image {@code i} as a picture: RGB as it is, otherwise {@code [height * width]}, the mean over
   * its channels.
   */
  static float[] grayscale(ImageSource data, int i) {
    float[] chw = data.image(i);
    if (data.channels() == 3) {
      return chw;
    }
    int plane = data.imageSize() * data.imageSize();
    float[] gray = new float[plane];
    for (int c = 0; c < data.channels(); c++) {
      for (int p = 0; p < plane; p++) {
        gray[p] += chw[c * plane + p] / data.channels();
      }
    }
    return gray;
  }
}
