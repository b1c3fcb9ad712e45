package dev.vitmae.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxTest {
  @TempDir Path dir;

  private static ImageArray images(int count, int rows, int cols) {
    byte[] pixels = new byte[count * rows * cols];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) (i * 37);
    }
    return new ImageArray(count, rows, cols, pixels);
  }

  private static byte[] header(int magic, int... dims) {
    ByteBuffer buffer = ByteBuffer.allocate(4 + 4 * dims.length).putInt(magic);
    for (int d : dims) {
      buffer.putInt(d);
    }
    return buffer.array();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private Path file(String name, byte[] bytes) throws IOException {
    return Files.write(dir.resolve(name), bytes);
  }

  private static IdxFormatException assertImagesFail(Path file, String field, long offset) {
    IdxFormatException e = assertThrows(IdxFormatException.class, () -> Idx.readImages(file));
    assertEquals(field, e.field(), e.getMessage());
    assertEquals(offset, e.byteOffset(), e.getMessage());
    assertEquals(file, e.file());
    assertTrue(
        e.getMessage().startsWith(file + ": " + field + " at byte offset " + offset + ": "),
        e.getMessage());
    return e;
  }

  @Test
  void imagesRoundTripRawAndGzip() throws IOException {
    ImageArray original = images(3, 4, 5);
    for (boolean gzip : new boolean[] {false, true}) {
      Path file = dir.resolve("images-" + gzip);
      Idx.writeImages(file, original, gzip);
      ImageArray read = Idx.readImages(file);
      assertEquals(3, read.count());
      assertEquals(4, read.rows());
      assertEquals(5, read.cols());
      assertArrayEquals(original.pixels(), read.pixels());
    }
    byte[] raw = Files.readAllBytes(dir.resolve("images-false"));
    assertEquals(16 + 60, raw.length);
    assertArrayEquals(header(0x803, 3, 4, 5), Arrays.copyOf(raw, 16));
  }

  @Test
  void labelsRoundTripRawAndGzip() throws IOException {
    byte[] labels = {9, 0, 3, (byte) 200};
    Idx.writeLabels(dir.resolve("l.gz"), labels, true);
    Idx.writeLabels(dir.resolve("l"), labels, false);
    assertArrayEquals(labels, Idx.readLabels(dir.resolve("l.gz")));
    assertArrayEquals(labels, Idx.readLabels(dir.resolve("l")));
  }

  @Test
  void gzipIsDetectedByHeaderNotByName() throws IOException {
    Idx.writeLabels(dir.resolve("compressed.idx"), new byte[] {1, 2}, true);
    Idx.writeLabels(dir.resolve("plain.gz"), new byte[] {3}, false);
    assertArrayEquals(new byte[] {1, 2}, Idx.readLabels(dir.resolve("compressed.idx")));
    assertArrayEquals(new byte[] {3}, Idx.readLabels(dir.resolve("plain.gz")));
  }

  @Test
  void writeReplacesAtomicallyAndLeavesNoTempFiles() throws IOException {
    Path file = dir.resolve("labels");
    Idx.writeLabels(file, new byte[] {1, 2, 3}, false);
    Idx.writeLabels(file, new byte[] {4}, true);
    assertArrayEquals(new byte[] {4}, Idx.readLabels(file));
    try (var files = Files.list(dir)) {
      assertEquals(1, files.count());
    }
  }

  @Test
  void wrongMagicSaysExpectedAndFound() throws IOException {
    Path file = file("junk", concat(new byte[] {0x12, 0x34, 0x56, 0x78}, new byte[20]));
    IdxFormatException e = assertImagesFail(file, "magic", 0);
    assertTrue(e.getMessage().contains("expected 0x00000803 but found 0x12345678"), e.getMessage());
  }

  @Test
  void labelMagicInImageFileAsksIfItIsALabelFile() throws IOException {
    Path file = dir.resolve("labels");
    Idx.writeLabels(file, new byte[] {1, 2}, true);
    IdxFormatException e = assertImagesFail(file, "magic", 0);
    assertTrue(e.getMessage().contains("is this a label file?"), e.getMessage());
  }

  @Test
  void imageMagicInLabelFileAsksIfItIsAnImageFile() throws IOException {
    Path file = dir.resolve("images");
    Idx.writeImages(file, images(1, 2, 2), false);
    IdxFormatException e = assertThrows(IdxFormatException.class, () -> Idx.readLabels(file));
    assertEquals("magic", e.field());
    assertTrue(e.getMessage().contains("is this an image file?"), e.getMessage());
  }

  @Test
  void badTypeByteAndWrongRankAreNamed() throws IOException {
    IdxFormatException type =
        assertImagesFail(file("float", header(0x0D03, 1, 1, 1)), "type byte", 2);
    assertTrue(
        type.getMessage().contains("expected 0x08 (unsigned byte) but found 0x0D"),
        type.getMessage());
    IdxFormatException rank =
        assertImagesFail(file("rank4", header(0x0804, 1, 1, 1, 1)), "rank", 3);
    assertTrue(rank.getMessage().contains("expected 3 dimensions but found 4"), rank.getMessage());
  }

  @Test
  void zeroOrNegativeDimensionsAreRejected() throws IOException {
    assertImagesFail(file("count0", header(0x803, 0, 2, 2)), "dimension 0 (count)", 4);
    assertImagesFail(file("rows-1", header(0x803, 1, -1, 2)), "dimension 1 (rows)", 8);
    IdxFormatException e =
        assertImagesFail(file("cols0", header(0x803, 1, 2, 0)), "dimension 2 (cols)", 12);
    assertTrue(e.getMessage().contains("must be positive, found 0"), e.getMessage());
  }

  @Test
  void truncatedHeaderNamesTheMissingField() throws IOException {
    assertImagesFail(file("two-bytes", new byte[] {0, 0}), "magic", 0);
    IdxFormatException e =
        assertImagesFail(
            file("six-bytes", new byte[] {0, 0, 8, 3, 0, 1}), "dimension 0 (count)", 4);
    assertTrue(e.getMessage().contains("needs 4 bytes but only 2 are present"), e.getMessage());
    assertImagesFail(file("no-cols", header(0x803, 1, 2)), "dimension 2 (cols)", 12);
  }

  @Test
  void truncatedDataSaysExpectedAndPresent() throws IOException {
    IdxFormatException e =
        assertImagesFail(file("short", concat(header(0x803, 2, 2, 2), new byte[5])), "data", 16);
    assertTrue(e.getMessage().contains("expected 8 bytes but only 5 are present"), e.getMessage());
  }

  @Test
  void trailingGarbageIsRejected() throws IOException {
    IdxFormatException e =
        assertImagesFail(
            file("long", concat(header(0x803, 2, 2, 2), new byte[11])), "trailing data", 24);
    assertTrue(e.getMessage().contains("3 unexpected bytes"), e.getMessage());
    IdxFormatException labels =
        assertThrows(
            IdxFormatException.class,
            () -> Idx.readLabels(file("labels-long", concat(header(0x801, 2), new byte[3]))));
    assertEquals("trailing data", labels.field());
    assertEquals(10, labels.byteOffset());
  }

  @Test
  void corruptGzipIsWrapped() throws IOException {
    // Offsets of gzip failures count decompressed bytes and depend on zlib internals: only their
    // range is pinned.
    int total = 16 + 50 * 28 * 28;
    Path good = dir.resolve("good.gz");
    Idx.writeImages(
        good, new ImageArray(50, 28, 28, SyntheticDigits.generate("x", 50, 1).pixels()), true);
    byte[] bytes = Files.readAllBytes(good);
    byte[] flipped = bytes.clone();
    for (int i = bytes.length / 2; i < bytes.length / 2 + 8; i++) {
      flipped[i] ^= (byte) 0x5A;
    }
    Path flippedFile = file("flipped.gz", flipped);
    IdxFormatException e =
        assertThrows(IdxFormatException.class, () -> Idx.readImages(flippedFile));
    assertEquals("gzip stream", e.field());
    assertEquals(flippedFile, e.file());
    assertTrue(e.byteOffset() >= 0 && e.byteOffset() <= total, e.getMessage());

    Path cutFile = file("cut.gz", Arrays.copyOf(bytes, bytes.length / 2));
    IdxFormatException cut = assertThrows(IdxFormatException.class, () -> Idx.readImages(cutFile));
    assertEquals("gzip stream", cut.field());
    assertTrue(cut.byteOffset() > 0 && cut.byteOffset() < total, cut.getMessage());
    assertTrue(cut.getMessage().contains("ends early"), cut.getMessage());
  }

  @Test
  void imageAndLabelCountMismatchNamesBothFiles() throws IOException {
    Path imagesFile = dir.resolve("images");
    Path labelsFile = dir.resolve("labels");
    Idx.writeImages(imagesFile, images(3, 2, 2), false);
    Idx.writeLabels(labelsFile, new byte[] {1, 2}, false);
    IdxFormatException e =
        assertThrows(
            IdxFormatException.class,
            () -> ImageDataset.fromIdx("x", imagesFile, labelsFile, ImageDataset.DIGIT_CLASSES));
    assertEquals(labelsFile, e.file());
    assertEquals("dimension 0 (count)", e.field());
    assertEquals(4, e.byteOffset());
    assertTrue(
        e.getMessage().contains(imagesFile.toString()) && e.getMessage().contains("2 labels"),
        e.getMessage());
  }

  @Test
  void labelOutsideZeroToNineIsRejectedWithItsOffset() throws IOException {
    Path imagesFile = dir.resolve("images");
    Path labelsFile = dir.resolve("labels");
    Idx.writeImages(imagesFile, images(3, 2, 2), false);
    Idx.writeLabels(labelsFile, new byte[] {1, 10, 2}, false);
    IdxFormatException e =
        assertThrows(
            IdxFormatException.class,
            () -> ImageDataset.fromIdx("x", imagesFile, labelsFile, ImageDataset.DIGIT_CLASSES));
    assertEquals(9, e.byteOffset());
    assertTrue(e.getMessage().contains("value 10"), e.getMessage());
  }
}
