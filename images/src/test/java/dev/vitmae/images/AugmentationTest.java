package dev.vitmae.images;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AugmentationTest {
  private static final BufferedImage PHOTO =
      TestImages.rgb(50, 40, (x, y) -> x * 5 << 16 | y * 6 << 8 | (x ^ y));
  private static final Preprocessing P = Preprocessing.of(16, 3);

  @Test
  void sameSeedEpochAndIndexGiveTheSamePixels() {
    assertArrayEquals(view(1, 3, 7), view(1, 3, 7));
  }

  @Test
  void anotherEpochIndexOrSeedGivesOtherPixels() {
    float[] base = view(1, 3, 7);
    assertFalse(Arrays.equals(base, view(1, 4, 7)), "epoch");
    assertFalse(Arrays.equals(base, view(1, 3, 8)), "index");
    assertFalse(Arrays.equals(base, view(2, 3, 7)), "seed");
  }

  @Test
  void cropsStayInsideTheImageWithinTheScaleRangeAndFlipAboutHalfTheTime() {
    Augmentation a = Augmentation.mae();
    int flips = 0;
    for (int i = 0; i < 2000; i++) {
      Crop c = a.sample(50, 40, Augmentation.random(9, 0, i));
      assertTrue(c.top() + c.height() <= 40 && c.left() + c.width() <= 50, c.toString());
      double scale = c.width() * c.height() / 2000.0;
      assertTrue(scale > 0.15 && scale <= 1.0, c + " scale " + scale);
      if (c.flip()) flips++;
    }
    assertTrue(flips > 900 && flips < 1100, "flips " + flips);
  }

  @Test
  void impossibleAspectFallsBackToTorchvisionsCentreCrop() {
    // A 100x1 strip: every try needs h >= 4, so the fallback crops the centre at ratio 4/3.
    Crop c =
        new Augmentation(0.2, 1.0, 0.75, 4.0 / 3, false)
            .sample(100, 1, Augmentation.random(1, 0, 0));
    assertEquals(new Crop(0, 49, 1, 1, false), c);
  }

  @Test
  void storedPixelsAreAugmentedAsTheImageFileIs() {
    // A 16x16 RGB image at the model's size: its stored pixels (Preprocessing's identity) and the
    // image itself must give the same crop, resampling and flip for every draw.
    BufferedImage square =
        TestImages.rgb(16, 16, (x, y) -> x * 15 << 16 | y * 13 << 8 | (x ^ y) * 9);
    float[] stored = P.apply(square);
    float[] fromFloats = new float[P.valuesPerImage() + 5];
    float[] fromImage = new float[P.valuesPerImage()];
    Augmentation a = new Augmentation(0.3, 1.0, 0.75, 4.0 / 3, true);
    boolean changed = false;
    for (int i = 0; i < 50; i++) {
      a.apply(stored, 0, 3, 16, Augmentation.random(4, 2, i), fromFloats, 5);
      P.applyAugmented(square, a, Augmentation.random(4, 2, i), fromImage, 0);
      float[] got = Arrays.copyOfRange(fromFloats, 5, fromFloats.length);
      assertArrayEquals(fromImage, got, 1e-6f, "draw " + i);
      changed |= !Arrays.equals(stored, got);
    }
    assertTrue(changed, "the draws change the image");
  }

  private static float[] view(long seed, int epoch, int index) {
    float[] out = new float[P.valuesPerImage()];
    P.applyAugmented(PHOTO, Augmentation.mae(), Augmentation.random(seed, epoch, index), out, 0);
    return out;
  }
}
