package dev.vitmae.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each bad-image case in a folder: by default {@code fill} fails naming the file and the reason;
 * with skip-bad-images the file is excluded and listed in the report with its reason.
 */
class BadFolderImagesTest {
  @TempDir Path dir;

  /** Bad file -> the reason its message must contain. */
  private final Map<Path, String> bad = new LinkedHashMap<>();

  @BeforeEach
  void writeFolder() throws Exception {
    Path cls = dir.resolve("cls");
    for (int i = 0; i < 3; i++) TestFiles.png(cls.resolve("good" + i + ".png"), 10, 10, i);
    bad.put(Files.write(cls.resolve("empty.jpg"), new byte[0]), "empty file (0 bytes)");
    bad.put(
        Files.writeString(cls.resolve("text.png"), "just some text"),
        "not an image in a supported format");
    var jpeg = new ByteArrayOutputStream();
    ImageIO.write(TestFiles.rgb(64, 64, 9), "jpeg", jpeg);
    bad.put(
        Files.write(
            cls.resolve("cut.jpg"), Arrays.copyOf(jpeg.toByteArray(), jpeg.size() * 6 / 10)),
        "truncated JPEG");
    var png = new ByteArrayOutputStream();
    ImageIO.write(TestFiles.rgb(40, 40, 3), "png", png);
    byte[] flipped = png.toByteArray();
    flipped[flipped.length / 2] ^= 0x5A;
    bad.put(Files.write(cls.resolve("flipped.png"), flipped), "corrupt PNG data: CRC mismatch");
    bad.put(
        Files.write(cls.resolve("huge.png"), pngClaiming(100_000, 100_000)),
        "more than the limit of 89478485");
    bad.put(
        Files.createSymbolicLink(cls.resolve("dangling.png"), dir.resolve("nowhere.png")),
        "dangling symbolic link");
  }

  @Test
  void byDefaultFillNamesTheFileAndTheReason() throws Exception {
    ImageFolderSource s = (ImageFolderSource) ImageFolder.builder(dir).imageSize(8).build().train();
    assertEquals(3 + bad.size(), s.count());
    for (var e : bad.entrySet()) {
      int i = s.files().indexOf(e.getKey());
      ImageSourceException ex =
          assertThrows(ImageSourceException.class, () -> s.image(i), e.getKey().toString());
      assertTrue(ex.getMessage().contains(e.getKey().toString()), ex.getMessage());
      assertTrue(
          ex.getMessage().contains(e.getValue()),
          "expected '" + e.getValue() + "' in " + ex.getMessage());
    }
  }

  @Test
  void skipBadImagesExcludesAndListsEveryBadFile() throws Exception {
    ImageFolderSource s =
        (ImageFolderSource)
            ImageFolder.builder(dir).imageSize(8).skipBadImages(true).threads(2).build().train();
    assertEquals(3, s.count());
    for (int i = 0; i < 3; i++) assertEquals(3 * 64, s.image(i).length);
    BadImageReport report = s.badImages();
    assertEquals(bad.size(), report.count());
    assertEquals(3 + bad.size(), report.checked());
    for (var e : bad.entrySet()) {
      var entry =
          report.bad().stream()
              .filter(b -> b.file().equals(e.getKey()))
              .findFirst()
              .orElseThrow(() -> new AssertionError(e.getKey() + " missing from " + report));
      assertTrue(entry.reason().contains(e.getValue()), entry.toString());
    }
    assertTrue(
        report.toString().startsWith(bad.size() + " of " + (3 + bad.size()) + " images skipped:"),
        report.toString());
  }

  @Test
  void aLoaderPropagatesTheBadFileToTheConsumer() throws Exception {
    ImageFolderSource s = (ImageFolderSource) ImageFolder.builder(dir).imageSize(8).build().train();
    int cut = s.files().indexOf(dir.resolve("cls/cut.jpg"));
    try (BatchLoader loader = BatchLoader.open(s, java.util.List.of(new int[] {cut}), 2, 2)) {
      ImageSourceException e = assertThrows(ImageSourceException.class, loader::next);
      assertTrue(
          e.getMessage().contains("cut.jpg") && e.getMessage().contains("truncated JPEG"),
          e.getMessage());
      assertThrows(IllegalStateException.class, loader::hasNext, "closed after the failure");
    }
  }

  private static byte[] pngClaiming(int w, int h) {
    ByteBuffer b = ByteBuffer.allocate(8 + 25 + 12);
    b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
    chunk(
        b,
        "IHDR",
        ByteBuffer.allocate(13)
            .putInt(w)
            .putInt(h)
            .put((byte) 8)
            .put((byte) 2)
            .put(new byte[3])
            .array());
    chunk(b, "IEND", new byte[0]);
    return b.array();
  }

  private static void chunk(ByteBuffer b, String type, byte[] data) {
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    b.putInt(data.length).put(t).put(data).putInt((int) crc.getValue());
  }
}
