package dev.vitmae.datasets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary version of CIFAR-10: {@code data_batch_1..5.bin} (train), {@code test_batch.bin} and
 * {@code batches.meta.txt} (class names, one a line), in {@code DIR/cifar-10-batches-bin/} or in
 * {@code DIR} itself. Each record is 1 label byte then 1024 R, 1024 G and 1024 B bytes of a 32×32
 * image, row-major: already the CHW layout of {@link ImageDataset}. Files of any whole number of
 * records are accepted (the official ones hold 10,000).
 */
public final class Cifar10 {
  /** The class names in label order (used when {@code batches.meta.txt} is absent). */
  public static final List<String> CLASSES =
      List.of(
          "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

  /** Bytes per record: 1 label + 3 × 32 × 32 pixels. */
  public static final int RECORD_BYTES = 1 + 3 * 32 * 32;

  /** The folder name of the official archive. */
  public static final String FOLDER = "cifar-10-batches-bin";

  private Cifar10() {}

  /** {@code dir/cifar-10-batches-bin} when it exists, else {@code dir}. */
  public static Path locate(Path dir) {
    Path inner = dir.resolve(FOLDER);
    return Files.isDirectory(inner) ? inner : dir;
  }

  /**
   * Reads the train (5 files) and test splits: 3×32×32 images with 10 named classes.
   *
   * @throws NoSuchFileException naming the missing file
   * @throws CifarFormatException for a malformed file
   */
  public static DatasetSplits read(Path dir) throws IOException {
    Path root = locate(dir);
    Path meta = root.resolve("batches.meta.txt");
    List<String> names = Files.exists(meta) ? readClassNames(meta) : CLASSES;
    List<ImageDataset> parts = new ArrayList<>();
    for (int i = 1; i <= 5; i++)
      parts.add(readBatch(require(root, "data_batch_" + i + ".bin"), names));
    ImageDataset test =
        concat("cifar10-test", List.of(readBatch(require(root, "test_batch.bin"), names)), names);
    return new DatasetSplits(concat("cifar10-train", parts, names), test);
  }

  /**
   * Reads one batch file.
   *
   * @throws CifarFormatException naming the file, record and byte offset: empty file, a size that
   *     is not a whole number of records (a truncated record), a label outside the classes
   */
  public static ImageDataset readBatch(Path file, List<String> classNames) throws IOException {
    long size = Files.size(file);
    if (size == 0)
      throw new CifarFormatException(
          file, 0, 0, "empty file, expected records of " + RECORD_BYTES + " bytes");
    if (size % RECORD_BYTES != 0) {
      long record = size / RECORD_BYTES;
      throw new CifarFormatException(
          file,
          record,
          record * RECORD_BYTES,
          "truncated record: "
              + (size - record * RECORD_BYTES)
              + " of its "
              + RECORD_BYTES
              + " bytes are present (file "
              + "size "
              + size
              + " is not a multiple of "
              + RECORD_BYTES
              + ")");
    }
    if (size > Integer.MAX_VALUE - 64) {
      throw new CifarFormatException(file, 0, 0, "file of " + size + " bytes is too large");
    }
    byte[] bytes = Files.readAllBytes(file);
    int count = bytes.length / RECORD_BYTES;
    int[] labels = new int[count];
    byte[] pixels = new byte[count * (RECORD_BYTES - 1)];
    for (int r = 0; r < count; r++) {
      int at = r * RECORD_BYTES;
      labels[r] = bytes[at] & 0xFF;
      if (labels[r] >= classNames.size()) {
        throw new CifarFormatException(
            file, r, at, "label " + labels[r] + " is outside 0.." + (classNames.size() - 1));
      }
      System.arraycopy(bytes, at + 1, pixels, r * (RECORD_BYTES - 1), RECORD_BYTES - 1);
    }
    String name = file.getFileName().toString().replace(".bin", "");
    return ImageDataset.labelled(name, 3, 32, pixels, labels, classNames.size(), classNames);
  }

  /**
   * The non-blank lines of {@code batches.meta.txt}.
   *
   * @throws IOException naming the file when it does not hold 10 names
   */
  public static List<String> readClassNames(Path meta) throws IOException {
    List<String> names =
        Files.readAllLines(meta, StandardCharsets.UTF_8).stream()
            .map(String::strip)
            .filter(s -> !s.isEmpty())
            .toList();
    if (names.size() != CLASSES.size()) {
      throw new IOException(
          meta
              + ": expected "
              + CLASSES.size()
              + " class names, one a line, found "
              + names.size()
              + " "
              + names);
    }
    return names;
  }

  private static Path require(Path root, String name) throws NoSuchFileException {
    Path f = root.resolve(name);
    if (!Files.isRegularFile(f)) {
      throw new NoSuchFileException(
          f.toString(),
          null,
          "missing: the CIFAR-10 binary version has "
              + "data_batch_1..5.bin and test_batch.bin in "
              + root);
    }
    return f;
  }

  private static ImageDataset concat(String name, List<ImageDataset> parts, List<String> names) {
    int total = parts.stream().mapToInt(ImageDataset::count).sum();
    int per = 3 * 32 * 32;
    byte[] pixels = new byte[total * per];
    int[] labels = new int[total];
    int at = 0;
    for (ImageDataset d : parts) {
      System.arraycopy(d.pixels(), 0, pixels, at * per, d.count() * per);
      for (int i = 0; i < d.count(); i++) labels[at + i] = d.label(i);
      at += d.count();
    }
    return ImageDataset.labelled(name, 3, 32, pixels, labels, names.size(), names);
  }
}
