package dev.vitmae.datasets;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Fashion-MNIST from the four standard IDX files (gzipped or raw): 60,000 train and 10,000 test
 * images, 1x28x28, labels 0..9. The directory is the option, else {@value #ENV}, else {@code
 * /usr/share/datasets/fashion-mnist} (the {@code dataset-fashion-mnist} package).
 */
public final class FashionMnist {
  public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");
  public static final String ENV = "VITMAE_FASHION_MNIST_DIR";
  static final String HOW_TO_FIX =
      "install it with `sudo apt-get install dataset-fashion-mnist`, "
          + "or pass the directory holding the four IDX files, or set "
          + ENV;

  private FashionMnist() {}

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
    return IdxFiles.load("fashion-mnist", dir, HOW_TO_FIX, ImageDataset.FASHION_MNIST_CLASSES);
  }
}
