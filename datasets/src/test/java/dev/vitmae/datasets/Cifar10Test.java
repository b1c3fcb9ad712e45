package dev.vitmae.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Cifar10Test {
  @TempDir Path dir;

  /** Record r: label r % 10; R plane 10 + r, G plane 100 + r, B plane 200 + r, pixel 5 of R = 7. */
  private static byte[] batch(int records) {
    byte[] b = new byte[records * Cifar10.RECORD_BYTES];
    for (int r = 0; r < records; r++) {
      int at = r * Cifar10.RECORD_BYTES;
      b[at] = (byte) (r % 10);
      Arrays.fill(b, at + 1, at + 1025, (byte) (10 + r));
      Arrays.fill(b, at + 1025, at + 2049, (byte) (100 + r));
      Arrays.fill(b, at + 2049, at + 3073, (byte) (200 + r));
      b[at + 1 + 5] = 7;
    }
    return b;
  }

  private Path writeAll(Path root, int perFile) throws Exception {
    Files.createDirectories(root);
    for (int i = 1; i <= 5; i++)
      Files.write(root.resolve("data_batch_" + i + ".bin"), batch(perFile));
    Files.write(root.resolve("test_batch.bin"), batch(3));
    Files.writeString(
        root.resolve("batches.meta.txt"), String.join("\n", Cifar10.CLASSES) + "\n\n");
    return root;
  }

  @Test
  void decodesRecordsInRgbPlaneOrderWithNames() throws Exception {
    writeAll(dir.resolve(Cifar10.FOLDER), 4);
    DatasetSplits s = Cifar10.read(dir);
    ImageSource train = s.train();
    assertEquals(20, train.count());
    assertEquals(3, train.channels());
    assertEquals(32, train.imageSize());
    assertEquals(Cifar10.CLASSES, train.classNames());
    float[] img = train.image(6); // file 2, record 2
    assertEquals(12 / 255f, img[0], "R plane first");
    assertEquals(7 / 255f, img[5], "row-major pixel 5 of R");
    assertEquals(102 / 255f, img[1024], "then G");
    assertEquals(202 / 255f, img[2048 + 1023], "then B");
    assertEquals(2, train.label(6));
    assertEquals(3, s.requireTest().count());
    assertEquals(
        20, Cifar10.read(dir.resolve(Cifar10.FOLDER)).train().count(), "DIR itself works too");
  }

  @Test
  void truncatedRecordNamesFileRecordAndOffset() throws Exception {
    Path root = writeAll(dir, 2);
    Path f = root.resolve("data_batch_3.bin");
    Files.write(f, Arrays.copyOf(batch(2), Cifar10.RECORD_BYTES + 100));
    CifarFormatException e = assertThrows(CifarFormatException.class, () -> Cifar10.read(dir));
    assertEquals(f, e.file());
    assertEquals(1, e.record());
    assertEquals(3073, e.byteOffset());
    assertEquals(
        f
            + ": record 1 at byte offset 3073: truncated record: 100 of its 3073 bytes are "
            + "present (file size 3173 is not a multiple of 3073)",
        e.getMessage());
  }

  @Test
  void labelOutOfRangeNamesFileRecordAndOffset() throws Exception {
    Path root = writeAll(dir, 2);
    byte[] b = batch(3);
    b[2 * Cifar10.RECORD_BYTES] = 12;
    Files.write(root.resolve("test_batch.bin"), b);
    CifarFormatException e = assertThrows(CifarFormatException.class, () -> Cifar10.read(dir));
    assertEquals(
        root.resolve("test_batch.bin")
            + ": record 2 at byte offset 6146: label 12 is "
            + "outside 0..9",
        e.getMessage());
  }

  @Test
  void emptyFileMissingFileAndBadMeta() throws Exception {
    Path root = writeAll(dir, 1);
    Files.write(root.resolve("data_batch_1.bin"), new byte[0]);
    assertTrue(
        assertThrows(CifarFormatException.class, () -> Cifar10.read(dir))
            .getMessage()
            .contains("data_batch_1.bin: record 0 at byte offset 0: empty file"));
    Files.write(root.resolve("data_batch_1.bin"), batch(1));
    Files.delete(root.resolve("data_batch_4.bin"));
    assertTrue(
        assertThrows(NoSuchFileException.class, () -> Cifar10.read(dir))
            .getMessage()
            .contains("data_batch_4.bin"));
    Files.write(root.resolve("data_batch_4.bin"), batch(1));
    Files.writeString(root.resolve("batches.meta.txt"), "cat\ndog\n");
    assertTrue(
        assertThrows(java.io.IOException.class, () -> Cifar10.read(dir))
            .getMessage()
            .contains("expected 10 class names, one a line, found 2 [cat, dog]"));
  }
}
