package dev.vitmae.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every bad-image case fails with a {@link BadImageException} naming the file and the reason. */
class BadImagesTest {
  private static final ImageDecoder DECODER = ImageDecoder.defaults();
  @TempDir Path dir;

  @Test
  void zeroByteFile() throws Exception {
    assertBad(Files.write(dir.resolve("empty.jpg"), new byte[0]), "empty file (0 bytes)");
  }

  @Test
  void textFileNamedPng() throws Exception {
    assertBad(
        Files.writeString(dir.resolve("notes.png"), "hello, I am text"),
        "not an image in a supported format");
  }

  @Test
  void truncatedJpegIsDetectedNotSilentlyDecoded() throws Exception {
    byte[] jpeg = TestImages.jpeg(TestImages.rgb(64, 48, (x, y) -> x * 977 + y * 31337), false);
    for (int keep : new int[] {jpeg.length * 6 / 10, jpeg.length - 2}) {
      assertBad(
          Files.write(dir.resolve("cut" + keep + ".jpg"), Arrays.copyOf(jpeg, keep)),
          "truncated JPEG");
    }
    byte[] progressive = TestImages.jpeg(TestImages.rgb(64, 48, (x, y) -> x * 977), true);
    assertBad(
        Files.write(
            dir.resolve("cut-progressive.jpg"),
            Arrays.copyOf(progressive, progressive.length * 9 / 10)),
        "truncated JPEG");
  }

  @Test
  void corruptPngDataIsDetected() throws Exception {
    byte[] png = TestImages.encode(TestImages.rgb(40, 40, (x, y) -> x * 5 + y * 0x500), "png");
    byte[] flipped = png.clone();
    flipped[TestImages.idatData(png) + 10] ^= 0x5A;
    assertBad(
        Files.write(dir.resolve("flipped.png"), flipped),
        "corrupt PNG data: CRC mismatch in chunk IDAT");
    assertBad(
        Files.write(dir.resolve("cut.png"), Arrays.copyOf(png, png.length - 20)), "truncated PNG");
  }

  @Test
  void headerClaimingTooManyPixelsIsRefusedBeforeDecoding() throws Exception {
    // 100000 x 100000 RGB would need 30 GB: refused from the header, not by an OutOfMemoryError.
    assertBad(
        Files.write(dir.resolve("huge.png"), TestImages.pngHeaderOnly(100_000, 100_000)),
        "PNG header claims 100000x100000 = 10000000000 pixels, more than the limit of 89478485");
    byte[] jpeg = TestImages.jpeg(TestImages.rgb(16, 16, (x, y) -> 0), false);
    assertBad(
        Files.write(dir.resolve("huge.jpg"), TestImages.jpegClaiming(jpeg, 60000, 60000)),
        "JPEG header claims 60000x60000");
    Path small =
        Files.write(
            dir.resolve("small.png"),
            TestImages.encode(TestImages.rgb(100, 100, (x, y) -> 0), "png"));
    BadImageException e =
        assertThrows(BadImageException.class, () -> DECODER.withMaxPixels(5000).read(small));
    assertTrue(
        e.getMessage().contains("100x100 = 10000 pixels, more than the limit of 5000"),
        e.getMessage());
  }

  @Test
  void directoryDanglingLinkAndMissingFile() throws Exception {
    assertBad(Files.createDirectory(dir.resolve("folder.png")), "is a directory");
    assertBad(
        Files.createSymbolicLink(dir.resolve("dangling.png"), dir.resolve("gone.png")),
        "dangling symbolic link");
    assertBad(dir.resolve("missing.png"), "no such file");
  }

  @Test
  void unreadableFile() throws Exception {
    Path file =
        Files.write(
            dir.resolve("secret.png"), TestImages.encode(TestImages.rgb(2, 2, (x, y) -> 0), "png"));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
    assumeTrue(
        !Files.isReadable(file),
        "running as root: every file is readable (the dangling-link case covers it)");
    assertBad(file, "permission denied");
  }

  @Test
  void bytesNameTheirSource() {
    BadImageException e =
        assertThrows(
            BadImageException.class, () -> DECODER.read(new byte[] {1, 2, 3}, "upload #7"));
    assertEquals("upload #7", e.source());
    assertTrue(e.getMessage().startsWith("upload #7: not an image"), e.getMessage());
  }

  private static void assertBad(Path file, String reason) {
    BadImageException e =
        assertThrows(BadImageException.class, () -> DECODER.read(file), file.toString());
    assertEquals(file.toString(), e.source());
    assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
    assertTrue(e.reason().contains(reason), "expected '" + reason + "' in: " + e.getMessage());
  }
}
