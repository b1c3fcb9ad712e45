package dev.vitmae.images;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PreprocessingTest {

  /**
   * A white 5120x2880 image resized to 32 overshot to 1.0000018 in float (issue 20): every output
   * value stays in [0, 1], white stays white, and so does every other resize of it tried here.
   */
  @Test
  void outputIsInTheUnitIntervalByConstruction() {
    BufferedImage white = new BufferedImage(5120, 2880, BufferedImage.TYPE_INT_RGB);
    java.awt.Graphics2D g = white.createGraphics();
    g.setColor(java.awt.Color.WHITE);
    g.fillRect(0, 0, 5120, 2880);
    g.dispose();
    for (int size : new int[] {28, 32, 64, 224}) {
      for (int channels : new int[] {1, 3}) {
        float[] out = Preprocessing.of(size, channels).apply(white);
        for (float v : out) assertTrue(v <= 1f && v > 0.99999f, v + " at " + size + "/" + channels);
      }
    }
    // Random content over several sizes: never outside [0, 1].
    java.util.SplittableRandom random = new java.util.SplittableRandom(20);
    for (int[] wh : new int[][] {{1920, 1080}, {333, 777}, {97, 61}}) {
      BufferedImage img = new BufferedImage(wh[0], wh[1], BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < wh[1]; y++)
        for (int x = 0; x < wh[0]; x++) img.setRGB(x, y, random.nextBoolean() ? 0xFFFFFF : 0);
      for (float v : Preprocessing.of(32, 3).apply(img))
        assertTrue(v >= 0f && v <= 1f, "value " + v + " of " + wh[0] + "x" + wh[1]);
    }
  }

  private static final float EPS = 1e-6f;

  @Test
  void anImageAtTheModelSizeComesOutAsItsPixelsOver255() {
    BufferedImage rgb = TestImages.rgb(8, 8, (x, y) -> (x * 31) << 16 | (y * 29) << 8 | (x * y));
    float[] out = Preprocessing.of(8, 3).apply(rgb);
    for (int y = 0; y < 8; y++) {
      for (int x = 0; x < 8; x++) {
        assertEquals((x * 31) / 255f, out[y * 8 + x]);
        assertEquals((y * 29) / 255f, out[64 + y * 8 + x]);
        assertEquals((x * y) / 255f, out[128 + y * 8 + x]);
      }
    }
    BufferedImage gray = TestImages.gray(5, 5, (x, y) -> 50 * x + y);
    float[] g = Preprocessing.of(5, 1).apply(gray);
    for (int i = 0; i < 25; i++) assertEquals((50 * (i % 5) + i / 5) / 255f, g[i]);
  }

  @Test
  void shorterSideEqualToTheSizeOnlyCentreCrops() {
    // 4 wide x 2 high -> Resize(2) keeps 4x2, CenterCrop(2) takes columns 1 and 2.
    BufferedImage img = TestImages.gray(4, 2, (x, y) -> new int[] {10, 20, 30, 40}[x] + y);
    assertArrayEquals(
        new float[] {20 / 255f, 30 / 255f, 21 / 255f, 31 / 255f},
        Preprocessing.of(2, 1).apply(img));
  }

  @Test
  void antialiasedDownscaleMatchesTheHandComputedTriangleWeights() {
    // STRETCH 4 -> 2 (scale 2, support 2): output 0 weighs inputs 0,1,2 by 3/7,3/7,1/7 and
    // output 1 inputs 1,2,3 by 1/7,3/7,3/7 (PIL's coefficients). Rows are equal, so the
    // vertical pass keeps the values.
    int[] v = {0, 51, 102, 255};
    BufferedImage img = TestImages.gray(4, 4, (x, y) -> v[x]);
    float[] out = Preprocessing.of(2, 1).withResize(Preprocessing.Resize.STRETCH).apply(img);
    float a = (3 * 0 + 3 * 51 + 102) / 7f / 255f;
    float b = (51 + 3 * 102 + 3 * 255) / 7f / 255f;
    assertArrayEquals(new float[] {a, b, a, b}, out, EPS);
  }

  @Test
  void resizeThenCentreCropUsesTorchvisionSizesAndRounding() {
    // 6x4 -> Resize(2): 3x2 (int(2 * 6 / 4)); CenterCrop(2): left = round(0.5) = 0 (half to even).
    // Horizontal 6 -> 3: output 0 = 3/7,3/7,1/7 of inputs 0..2; output 1 = 1/8,3/8,3/8,1/8 of 1..4.
    // Vertical 4 -> 2 over equal rows keeps the values.
    int[] v = {0, 60, 120, 180, 240, 255};
    BufferedImage img = TestImages.gray(6, 4, (x, y) -> v[x]);
    float[] out = Preprocessing.of(2, 1).apply(img);
    float a = (3 * 0 + 3 * 60 + 120) / 7f / 255f;
    float b = (60 + 3 * 120 + 3 * 180 + 240) / 8f / 255f;
    assertArrayEquals(new float[] {a, b, a, b}, out, EPS);
  }

  @Test
  void channelsAreReplicatedOrReducedToBt601Luma() {
    BufferedImage rgb = TestImages.rgb(1, 1, (x, y) -> 0x649632); // 100, 150, 50
    assertEquals(
        (0.299f * 100 + 0.587f * 150 + 0.114f * 50) / 255f,
        Preprocessing.of(1, 1).apply(rgb)[0],
        EPS);
    BufferedImage gray = TestImages.gray(1, 1, (x, y) -> 77);
    assertArrayEquals(
        new float[] {77 / 255f, 77 / 255f, 77 / 255f}, Preprocessing.of(1, 3).apply(gray));
    BufferedImage equalRgb = TestImages.rgb(1, 1, (x, y) -> 0x4D4D4D);
    assertEquals(77 / 255f, Preprocessing.of(1, 1).apply(equalRgb)[0], "gray RGB stays exact");
  }

  @Test
  void bgrImagesAndSubimagesGiveThePixelsOfTheirRgbCopies() {
    BufferedImage rgb = TestImages.rgb(30, 20, (x, y) -> x * 8 << 16 | y * 12 << 8 | (x + y));
    BufferedImage bgr = new BufferedImage(30, 20, BufferedImage.TYPE_3BYTE_BGR);
    bgr.getGraphics().drawImage(rgb, 0, 0, null);
    BufferedImage gray = TestImages.gray(30, 20, (x, y) -> x * 8 + y);
    for (int c : new int[] {1, 3}) {
      assertArrayEquals(Preprocessing.of(8, c).apply(rgb), Preprocessing.of(8, c).apply(bgr));
    }
    for (BufferedImage img : new BufferedImage[] {rgb, bgr, gray}) {
      BufferedImage sub = img.getSubimage(5, 3, 17, 12);
      BufferedImage copy = new BufferedImage(17, 12, img.getType());
      copy.getRaster().setDataElements(0, 0, sub.getRaster());
      for (int c : new int[] {1, 3}) {
        assertArrayEquals(Preprocessing.of(8, c).apply(copy), Preprocessing.of(8, c).apply(sub));
      }
    }
  }

  @Test
  void alphaIsCompositedOnTheRecordedBackground() {
    BufferedImage transparent = TestImages.argb(1, 1, (x, y) -> 0x00123456);
    assertArrayEquals(new float[] {1, 1, 1}, Preprocessing.of(1, 3).apply(transparent));
    assertArrayEquals(
        new float[] {0, 0, 1}, Preprocessing.of(1, 3).withBackground(0x0000FF).apply(transparent));
  }

  @Test
  void cropAndFlip() {
    BufferedImage img = TestImages.gray(4, 4, (x, y) -> 10 * x + y);
    float[] out = new float[4];
    Preprocessing.of(2, 1).apply(img, new Crop(1, 2, 2, 2, false), out, 0);
    assertArrayEquals(new float[] {21 / 255f, 31 / 255f, 22 / 255f, 32 / 255f}, out);
    Preprocessing.of(2, 1).apply(img, new Crop(1, 2, 2, 2, true), out, 0);
    assertArrayEquals(new float[] {31 / 255f, 21 / 255f, 32 / 255f, 22 / 255f}, out);
    assertThrows(
        IllegalArgumentException.class,
        () -> Preprocessing.of(2, 1).apply(img, new Crop(3, 3, 2, 2, false), out, 0));
  }

  @Test
  void metadataRoundTripsAndIsPrintable() {
    Preprocessing p = new Preprocessing(224, 3, Preprocessing.Resize.STRETCH, 0x102030);
    Map<String, String> m = p.toMetadata();
    assertTrue(
        m.keySet().stream().allMatch(k -> k.startsWith("vitmae.preprocessing.")), m.toString());
    assertEquals("#102030", m.get("vitmae.preprocessing.background"));
    assertEquals(p, Preprocessing.fromMetadata(m));
    assertTrue(Preprocessing.isRecordedIn(m));
    assertEquals(
        "Resize(32) + CenterCrop(32) bilinear antialias -> RGB [3, 32, 32] float32 in "
            + "[0, 1]; alpha on #FFFFFF; gray replicated",
        Preprocessing.of(32, 3).toString());
  }

  @Test
  void badMetadataNamesTheKey() {
    Map<String, String> m = new HashMap<>(Preprocessing.of(32, 3).toMetadata());
    m.put("vitmae.preprocessing.interpolation", "bicubic");
    var e = assertThrows(IllegalArgumentException.class, () -> Preprocessing.fromMetadata(m));
    assertTrue(
        e.getMessage().contains("vitmae.preprocessing.interpolation = 'bicubic'"), e.getMessage());
    m.remove("vitmae.preprocessing.channels");
    e = assertThrows(IllegalArgumentException.class, () -> Preprocessing.fromMetadata(m));
    assertEquals("metadata has no vitmae.preprocessing.channels", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Preprocessing.of(32, 2));
  }
}
