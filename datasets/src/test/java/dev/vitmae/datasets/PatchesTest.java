package dev.vitmae.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PatchesTest {
  private static float[] iota(int n) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = i;
    }
    return out;
  }

  @Test
  void oneChannelLayoutMatchesHandComputedPatches() {
    // 4x4 image holding 0..15 row-major; patch 2 -> 4 patches of 4 values each.
    float[] patches = Patches.patchify(iota(16), 1, 1, 4, 4, 2);
    assertArrayEquals(
        new float[] {
          0, 1, 4, 5, // patch 0: pixels (0,0) (0,1) (1,0) (1,1)
          2, 3, 6, 7, // patch 1: top right
          8, 9, 12, 13, // patch 2: bottom left
          10, 11, 14, 15
        }, // patch 3: bottom right
        patches);
  }

  @Test
  void channelsAreInnermostWithinAPatch() {
    // [1, 2, 2, 2]: channel 0 holds 0..3, channel 1 holds 4..7; one 2x2 patch, layout (p1 p2 c).
    assertArrayEquals(
        new float[] {0, 4, 1, 5, 2, 6, 3, 7}, Patches.patchify(iota(8), 1, 2, 2, 2, 2));
  }

  @Test
  void unpatchifyInvertsPatchify() {
    SplittableRandom rng = new SplittableRandom(3);
    float[] images = new float[3 * 2 * 8 * 12];
    for (int i = 0; i < images.length; i++) {
      images[i] = (float) rng.nextDouble();
    }
    float[] patches = Patches.patchify(images, 3, 2, 8, 12, 4);
    assertArrayEquals(images, Patches.unpatchify(patches, 3, 2, 8, 12, 4));
    assertEquals(6, Patches.numPatches(8, 12, 4));
  }

  @Test
  void badSizesAreRejectedWithTheNumbers() {
    IllegalArgumentException divide =
        assertThrows(
            IllegalArgumentException.class, () -> Patches.patchify(new float[30], 1, 1, 5, 6, 2));
    assertTrue(
        divide.getMessage().contains("patch 2 does not divide image 5x6"), divide.getMessage());
    IllegalArgumentException length =
        assertThrows(
            IllegalArgumentException.class, () -> Patches.unpatchify(new float[15], 1, 1, 4, 4, 2));
    assertTrue(
        length.getMessage().contains("has 15 values") && length.getMessage().contains("= 16"),
        length.getMessage());
  }
}
