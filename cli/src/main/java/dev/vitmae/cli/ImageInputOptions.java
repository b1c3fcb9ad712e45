package dev.vitmae.cli;

import dev.vitmae.datasets.DatasetSplits;
import dev.vitmae.datasets.Idx;
import dev.vitmae.datasets.ImageArray;
import dev.vitmae.datasets.ImageDataset;
import dev.vitmae.datasets.ImageFolder;
import dev.vitmae.datasets.ImageFolderSource;
import dev.vitmae.datasets.ImageSource;
import dev.vitmae.images.Preprocessing;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * Where the images a model runs on come from (a picocli {@code @Mixin}): exactly one of a dataset
 * split ({@code --dataset} with {@link DatasetOptions}' options), image files or folders ({@code
 * --images}: any size and format, put through the model's recorded preprocessing) or an IDX image
 * file ({@code --idx}); {@code -n} keeps the first N.
 */
final class ImageInputOptions {
  enum Split {
    TRAIN,
    TEST
  }

  @ArgGroup(
      exclusive = true,
      multiplicity = "1",
      heading = "Images (exactly one of --dataset, --images, --idx):%n")
  private Source source;

  @Option(
      names = "--split",
      paramLabel = "SPLIT",
      defaultValue = "test",
      description = "With --dataset: train or test (default: ${DEFAULT-VALUE}).")
  private Split split;

  @Option(
      names = "-n",
      paramLabel = "N",
      description = "Use only the first N images (default: all).")
  private Integer limit;

  @Option(
      names = "--fail-on-bad-image",
      description =
          "Stop at the first image that cannot be decoded or that the model refuses, naming it"
              + " (default: skip it, list it in a report and go on).")
  private boolean failOnBadImage;

  boolean failOnBadImage() {
    return failOnBadImage;
  }

  /** {@code -n}, or {@code fallback} when it is not given. */
  int limitOr(int fallback) {
    return limit != null ? limit : fallback;
  }

  /** The mutually exclusive sources. */
  static final class Source {
    @ArgGroup(exclusive = false)
    private DatasetOptions dataset;

    @Option(
        names = "--images",
        arity = "1..*",
        paramLabel = "FILE_OR_DIR",
        description =
            "Image files or folders (JPEG, PNG, BMP, GIF; any size and mode), resized and"
                + " centre-cropped as the model records (vitmae.preprocessing.*).")
    private List<Path> images;

    @Option(
        names = "--idx",
        paramLabel = "IMAGES.idx[.gz]",
        description = "An IDX image file (unlabelled).")
    private Path idx;
  }

  /**
   * Loads the chosen images for a model with {@code preprocessing}.
   *
   * @throws IllegalArgumentException when a dataset or IDX file does not have the model's shape
   *     (naming both) or {@code -n} is not positive
   * @throws IOException when a file is missing or unreadable
   */
  InputImages load(Preprocessing preprocessing, PrintWriter log) throws IOException {
    if (limit != null && limit <= 0) {
      throw new IllegalArgumentException("-n must be positive, got " + limit);
    }
    int channels = preprocessing.channels();
    int size = preprocessing.imageSize();
    InputImages all;
    if (source.images != null) {
      List<Path> files = ImageFolder.imageFiles(source.images);
      if (limit != null && limit < files.size()) files = files.subList(0, limit);
      DatasetSplits read =
          ImageFolder.builderForFiles(files)
              .preprocessing(preprocessing)
              .skipBadImages(!failOnBadImage)
              .build();
      DatasetOptions.reportBadImages(read, log);
      ImageFolderSource src = (ImageFolderSource) read.train();
      all =
          new InputImages(
              files.size() == 1 ? files.get(0).toString() : files.size() + " image files",
              src,
              null,
              src.files());
    } else if (source.idx != null) {
      ImageArray images = Idx.readImages(source.idx);
      requireShape(source.idx.toString(), 1, images.rows(), images.cols(), channels, size);
      all =
          new InputImages(
              source.idx.toString(),
              ImageDataset.unlabelled(source.idx.toString(), 1, size, images.pixels()),
              null,
              null);
    } else {
      DatasetSplits splits = source.dataset.load(preprocessing.toMetadata());
      ImageSource data = split == Split.TRAIN ? splits.train() : splits.requireTest();
      requireShape(
          data.name(), data.channels(), data.imageSize(), data.imageSize(), channels, size);
      all = new InputImages(data.name(), data, data.hasLabels() ? data.labels() : null, null);
    }
    if (limit == null || limit >= all.count()) return all;
    return new InputImages(
        all.source(),
        all.images().head(limit),
        all.labelled() ? Arrays.copyOf(all.labels(), limit) : null,
        all.files() == null ? null : all.files().subList(0, Math.min(limit, all.files().size())));
  }

  private static void requireShape(
      String what, int channels, int height, int width, int modelChannels, int size) {
    if (channels != modelChannels || height != size || width != size) {
      throw new IllegalArgumentException(
          what
              + " has "
              + channels
              + "x"
              + height
              + "x"
              + width
              + " (channels x height x width) images, but the model takes "
              + modelChannels
              + "x"
              + size
              + "x"
              + size
              + "; use --images for files of any size");
    }
  }
}
