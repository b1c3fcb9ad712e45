package dev.vitmae.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every decoding mode, from files written by real ImageIO writers, gives the expected pixels. */
class DecodingTest {
  private static final ImageDecoder DECODER = ImageDecoder.defaults();
  @TempDir Path dir;

  @Test
  void png8BitGrayIsKeptGrayAndExact() throws Exception {
    BufferedImage d = roundTrip(TestImages.gray(7, 5, (x, y) -> x * 30 + y), "png", "g.png");
    assertEquals(BufferedImage.TYPE_BYTE_GRAY, d.getType());
    for (int y = 0; y < 5; y++) for (int x = 0; x < 7; x++) assertEquals(x * 30 + y, gray(d, x, y));
  }

  @Test
  void png16BitGrayIsScaledTo8BitsWithoutGamma() throws Exception {
    BufferedImage d =
        roundTrip(
            TestImages.gray16(4, 1, (x, y) -> new int[] {0, 257 * 128, 40000, 65535}[x]),
            "png",
            "g16.png");
    assertEquals(
        List.of(0, 128, Math.round(40000 * 255 / 65535f), 255),
        List.of(gray(d, 0, 0), gray(d, 1, 0), gray(d, 2, 0), gray(d, 3, 0)));
  }

  @Test
  void pngGrayAlphaIsCompositedOnTheBackground() throws Exception {
    byte[] png =
        TestImages.encode(
            TestImages.grayAlpha(3, 1, (x, y) -> 100, (x, y) -> new int[] {255, 0, 51}[x]), "png");
    BufferedImage white = DECODER.read(png, "ga.png");
    assertEquals(
        List.of(100, 255, Math.round(100 * 0.2f + 255 * 0.8f)),
        List.of(gray(white, 0, 0), gray(white, 1, 0), gray(white, 2, 0)));
    BufferedImage black = DECODER.withBackground(0x000000).read(png, "ga.png");
    assertEquals(
        List.of(100, 0, 20), List.of(gray(black, 0, 0), gray(black, 1, 0), gray(black, 2, 0)));
  }

  @Test
  void pngRgbaIsCompositedOnTheBackground() throws Exception {
    byte[] png =
        TestImages.encode(
            TestImages.argb(
                3, 1, (x, y) -> new int[] {0xFF102030, 0x00FF0000, 0x80000000 | 0x0000FF}[x]),
            "png");
    BufferedImage d = DECODER.read(png, "rgba.png");
    assertEquals(BufferedImage.TYPE_INT_RGB, d.getType());
    assertEquals(0x102030, rgb(d, 0, 0));
    assertEquals(0xFFFFFF, rgb(d, 1, 0), "fully transparent pixel shows the white background");
    int half = (255 * 127 + 127) / 255; // white weighted by 1 - 128/255
    assertEquals(half << 16 | half << 8 | 0xFF, rgb(d, 2, 0));
    assertEquals(0x00FF00, rgb(DECODER.withBackground(0x00FF00).read(png, "rgba.png"), 1, 0));
  }

  @Test
  void png16BitRgbaIsScaledTo8BitsAndComposited() throws Exception {
    var cm =
        new java.awt.image.ComponentColorModel(
            java.awt.color.ColorSpace.getInstance(java.awt.color.ColorSpace.CS_sRGB),
            true,
            false,
            java.awt.Transparency.TRANSLUCENT,
            java.awt.image.DataBuffer.TYPE_USHORT);
    var raster = cm.createCompatibleWritableRaster(2, 1);
    raster.setPixel(0, 0, new int[] {65535, 0, 128 * 257, 65535});
    raster.setPixel(1, 0, new int[] {1000, 2000, 3000, 0});
    BufferedImage d = roundTrip(new BufferedImage(cm, raster, false, null), "png", "rgba16.png");
    assertEquals(0xFF0080, rgb(d, 0, 0));
    assertEquals(0xFFFFFF, rgb(d, 1, 0), "transparent shows white");
  }

  @Test
  void pngPaletteGivesThePaletteColours() throws Exception {
    int[] palette = {0x000000, 0xFF0000, 0x00FF00, 0x123456};
    BufferedImage d = roundTrip(TestImages.palette(4, 2, palette, (x, y) -> x), "png", "p.png");
    for (int x = 0; x < 4; x++) assertEquals(palette[x], rgb(d, x, 1));
  }

  @Test
  void bmpIsExact() throws Exception {
    BufferedImage src = TestImages.rgb(5, 3, (x, y) -> x * 0x331100 + y * 0x17);
    BufferedImage d = roundTrip(src, "bmp", "i.bmp");
    for (int y = 0; y < 3; y++)
      for (int x = 0; x < 5; x++) assertEquals(src.getRGB(x, y) & 0xFFFFFF, rgb(d, x, y));
  }

  @Test
  void gifGivesTheFirstFrame() throws Exception {
    int[] palette = {0x000000, 0xFF0000, 0x00FF00, 0x0000FF};
    byte[] gif =
        TestImages.gif(
            List.of(
                TestImages.palette(4, 4, palette, (x, y) -> 1),
                TestImages.palette(4, 4, palette, (x, y) -> 2)));
    Path file = Files.write(dir.resolve("anim.gif"), gif);
    BufferedImage d = DECODER.read(file);
    assertEquals(0xFF0000, rgb(d, 2, 2), "frame 0 is red, frame 1 green");
  }

  @Test
  void baselineAndProgressiveJpegDecodeClose() throws Exception {
    BufferedImage src = TestImages.rgb(32, 24, (x, y) -> x < 16 ? 0xC03020 : 0x2040E0);
    for (boolean progressive : new boolean[] {false, true}) {
      Path file =
          Files.write(dir.resolve("p" + progressive + ".jpg"), TestImages.jpeg(src, progressive));
      BufferedImage d = DECODER.read(file);
      assertEquals(32, d.getWidth());
      assertClose(0xC03020, rgb(d, 4, 10), 8);
      assertClose(0x2040E0, rgb(d, 28, 10), 8);
    }
  }

  @Test
  void cmykAndYcckJpegsAreConvertedToRgb() throws Exception {
    for (boolean ycck : new boolean[] {false, true}) {
      // Left half no ink (white), right half magenta + yellow ink (red).
      byte[] jpeg = TestImages.adobe(16, 16, ycck, (x, y) -> x < 8 ? 0 : 0x00FFFF00);
      BufferedImage d = DECODER.read(jpeg, ycck ? "ycck.jpg" : "cmyk.jpg");
      int white = rgb(d, 2, 8);
      int red = rgb(d, 13, 8);
      assertTrue(
          (white >>> 16 & 0xFF) > 230 && (white >>> 8 & 0xFF) > 230 && (white & 0xFF) > 230,
          (ycck ? "YCCK" : "CMYK") + " no ink is white: " + Integer.toHexString(white));
      assertTrue(
          (red >>> 16 & 0xFF) > 200 && (red >>> 8 & 0xFF) < 80 && (red & 0xFF) < 80,
          (ycck ? "YCCK" : "CMYK") + " M+Y ink is red: " + Integer.toHexString(red));
    }
  }

  @Test
  void exifOrientationTurnsTheJpegUpright() throws Exception {
    // Stored 32 wide x 16 high, a red left half; orientation 6 = rotate 90° clockwise to display.
    byte[] plain =
        TestImages.jpeg(TestImages.rgb(32, 16, (x, y) -> x < 16 ? 0xFF0000 : 0x0000FF), false);
    BufferedImage upright = DECODER.read(TestImages.withOrientation(plain, 6), "o6.jpg");
    assertEquals(16, upright.getWidth());
    assertEquals(32, upright.getHeight());
    assertClose(0xFF0000, rgb(upright, 8, 4), 40); // the stored left half is now on top
    assertClose(0x0000FF, rgb(upright, 8, 28), 40);
    BufferedImage mirrored = DECODER.read(TestImages.withOrientation(plain, 2), "o2.jpg");
    assertClose(0x0000FF, rgb(mirrored, 4, 8), 40);
    BufferedImage same = DECODER.read(TestImages.withOrientation(plain, 1), "o1.jpg");
    assertClose(0xFF0000, rgb(same, 4, 8), 40);
  }

  @Test
  void byteBgrAndAbgrImagesConvertExactlyLikeGetRgb() {
    java.util.Random random = new java.util.Random(4);
    for (int type : new int[] {BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_4BYTE_ABGR}) {
      BufferedImage img = new BufferedImage(13, 7, type);
      for (int y = 0; y < 7; y++) for (int x = 0; x < 13; x++) img.setRGB(x, y, random.nextInt());
      BufferedImage d = ImageDecoder.opaque(img, 0x204060);
      for (int y = 0; y < 7; y++) {
        for (int x = 0; x < 13; x++) {
          int p = img.getRGB(x, y);
          int a = p >>> 24;
          int expected = 0;
          for (int shift = 16, back = 0x204060; shift >= 0; shift -= 8) {
            int c = p >>> shift & 0xFF;
            int b = back >>> shift & 0xFF;
            expected |= (a == 255 ? c : (c * a + b * (255 - a) + 127) / 255) << shift;
          }
          assertEquals(expected, rgb(d, x, y), "type " + type + " at " + x + "," + y);
        }
      }
    }
  }

  private BufferedImage roundTrip(BufferedImage img, String format, String name) throws Exception {
    Path file = Files.write(dir.resolve(name), TestImages.encode(img, format));
    return DECODER.read(file);
  }

  static int gray(BufferedImage img, int x, int y) {
    assertEquals(BufferedImage.TYPE_BYTE_GRAY, img.getType());
    return img.getRaster().getSample(x, y, 0);
  }

  static int rgb(BufferedImage img, int x, int y) {
    assertTrue(
        img.getType() == BufferedImage.TYPE_INT_RGB
            || img.getType() == BufferedImage.TYPE_3BYTE_BGR,
        "opaque RGB, got type " + img.getType());
    return img.getRGB(x, y) & 0xFFFFFF;
  }

  static void assertClose(int expected, int actual, int tolerance) {
    for (int shift = 0; shift <= 16; shift += 8) {
      int e = expected >>> shift & 0xFF;
      int a = actual >>> shift & 0xFF;
      assertTrue(
          Math.abs(e - a) <= tolerance,
          String.format("expected ~%06X, got %06X", expected, actual));
    }
  }
}
