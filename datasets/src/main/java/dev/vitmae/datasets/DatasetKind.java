package dev.vitmae.datasets;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The datasets a run can name on the command line: {@code fashion-mnist}, {@code mnist}, {@code
 * synthetic}, {@code cifar10} (the binary version, in a given directory) and {@code folder} (an
 * image folder; it needs a size and channels, see {@link ImageFolder}).
 */
public enum DatasetKind {
  FASHION_MNIST("fashion-mnist"),
  MNIST("mnist"),
  SYNTHETIC("synthetic"),
  CIFAR10("cifar10"),
  FOLDER("folder");

  public static final int SYNTHETIC_TRAIN = 6000;
  public static final int SYNTHETIC_TEST = 1000;

  private final String cliName;

  DatasetKind(String cliName) {
    this.cliName = cliName;
  }

  /** The name used on the command line and in configs. */
  public String cliName() {
    return cliName;
  }

  /**
   * Parses a command-line name, ignoring case.
   *
   * @throws IllegalArgumentException for an unknown name, listing the accepted ones
   */
  public static DatasetKind parse(String name) {
    String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    for (DatasetKind kind : values()) {
      if (kind.cliName.equals(wanted)) {
        return kind;
      }
    }
    throw new IllegalArgumentException(
        "unknown dataset '"
            + name
            + "'; expected one of: "
            + Arrays.stream(values()).map(DatasetKind::cliName).collect(Collectors.joining(", ")));
  }

  /**
   * Loads the train/test splits. {@code dirOrNull} overrides the data directory (see each dataset's
   * {@code resolveDir}); SYNTHETIC ignores it and generates 6000 train / 1000 test images from
   * {@code seed}, which only SYNTHETIC uses.
   */
  public DatasetSplits load(Path dirOrNull, long seed) throws IOException {
    return switch (this) {
      case FASHION_MNIST -> FashionMnist.load(FashionMnist.resolveDir(dirOrNull));
      case MNIST -> Mnist.load(Mnist.resolveDir(dirOrNull));
      case SYNTHETIC ->
          new DatasetSplits(
              SyntheticDigits.generate("synthetic-train", SYNTHETIC_TRAIN, seed),
              // A different stream so the test images are not a prefix of the train images.
              SyntheticDigits.generate("synthetic-test", SYNTHETIC_TEST, Batches.mix(seed, -1)));
      case CIFAR10 -> {
        if (dirOrNull == null) {
          throw new IllegalArgumentException(
              "cifar10 has no default directory: pass the one holding "
                  + Cifar10.FOLDER
                  + "/ (data_batch_1..5.bin, test_batch.bin, batches.meta.txt)");
        }
        yield Cifar10.read(dirOrNull);
      }
      case FOLDER ->
          throw new IllegalArgumentException(
              "an image folder needs an image size and channels: use ImageFolder.builder(dir)");
    };
  }
}
