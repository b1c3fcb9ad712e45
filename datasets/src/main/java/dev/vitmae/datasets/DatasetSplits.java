package dev.vitmae.datasets;

import java.util.Objects;
import java.util.Optional;

/** Training images and, optionally, held-out test images of the same shape. */
public record DatasetSplits(ImageSource train, ImageSource testOrNull) {
  public DatasetSplits {
    Objects.requireNonNull(train, "train");
    if (testOrNull != null
        && (testOrNull.channels() != train.channels()
            || testOrNull.imageSize() != train.imageSize())) {
      throw new IllegalArgumentException(
          "test images "
              + testOrNull.channels()
              + "x"
              + testOrNull.imageSize()
              + " differ from train images "
              + train.channels()
              + "x"
              + train.imageSize());
    }
  }

  /** Training images only. */
  public static DatasetSplits trainOnly(ImageSource train) {
    return new DatasetSplits(train, null);
  }

  public Optional<ImageSource> test() {
    return Optional.ofNullable(testOrNull);
  }

  /**
   * The test split.
   *
   * @throws IllegalStateException naming the dataset when it has none
   */
  public ImageSource requireTest() {
    if (testOrNull == null) {
      throw new IllegalStateException(train.name() + " has no test split");
    }
    return testOrNull;
  }
}
