package dev.vitmae.datasets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The four standard MNIST-style IDX file names in a directory, gzipped or raw. */
final class IdxFiles {
  static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
  static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
  static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
  static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

  private IdxFiles() {}

  /** Option, else the environment variable (if set and not blank), else the default. */
  static Path resolveDir(
      Path override, String env, Map<String, String> environment, Path defaultDir) {
    if (override != null) {
      return override;
    }
    String value = environment.get(env);
    return value == null || value.isBlank() ? defaultDir : Path.of(value.trim());
  }

  /** Loads train and test splits named {@code <dataset>-train} / {@code <dataset>-test}. */
  static DatasetSplits load(String dataset, Path dir, String howToFix, List<String> classNames)
      throws IOException {
    ImageDataset train =
        ImageDataset.fromIdx(
            dataset + "-train",
            find(dataset, dir, TRAIN_IMAGES, howToFix),
            find(dataset, dir, TRAIN_LABELS, howToFix),
            classNames);
    ImageDataset test =
        ImageDataset.fromIdx(
            dataset + "-test",
            find(dataset, dir, TEST_IMAGES, howToFix),
            find(dataset, dir, TEST_LABELS, howToFix),
            classNames);
    return new DatasetSplits(train, test);
  }

  /** {@code base.gz} if present, else {@code base}; a missing file says what to do about it. */
  static Path find(String dataset, Path dir, String base, String howToFix)
      throws NoSuchFileException {
    if (!Files.isDirectory(dir)) {
      throw new NoSuchFileException(
          dir.toString(), null, dataset + " directory does not exist; " + howToFix);
    }
    for (Path candidate : new Path[] {dir.resolve(base + ".gz"), dir.resolve(base)}) {
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new NoSuchFileException(
        dir.resolve(base).toString(),
        null,
        dataset + " file " + base + "[.gz] is missing from " + dir + "; " + howToFix);
  }
}
