package dev.vitmae.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vitmae.contract.PatchGrid;
import org.junit.jupiter.api.Test;

class AttentionMapsTest {

  @Test
  void eachImageHasItsRow() {
    AttentionMaps maps = new AttentionMaps(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 4);
    assertArrayEquals(new float[] {5, 6, 7, 8}, maps.of(1));
    assertThrows(IllegalArgumentException.class, () -> new AttentionMaps(new float[7], 2, 4));
  }

  /**
   * A 2×2 grid of 2-pixel patches on 4×4 pixels: the patch centres lie between pixels, so pixel (0,
   * 0) is patch 0's value (clamped), the middle pixels blend their neighbours, and the map is
   * scaled to [0, 1].
   */
  @Test
  void upsamplingIsBilinearBetweenPatchCentresAndScaledToItsRange() {
    PatchGrid grid = new PatchGrid(4, 1, 2);
    AttentionMaps maps = new AttentionMaps(new float[] {0.1f, 0.3f, 0.5f, 0.7f}, 1, 4);
    float[] up = maps.upsampled(0, grid);
    assertEquals(16, up.length);
    // Raw values: corners 0.1, 0.3, 0.5, 0.7; pixel (0, 1) = 0.75·0.1 + 0.25·0.3 = 0.15.
    assertEquals(0, up[0], 1e-6);
    assertEquals(1, up[15], 1e-6);
    assertEquals((0.15 - 0.1) / 0.6, up[1], 1e-6);
    assertEquals((0.3 - 0.1) / 0.6, up[3], 1e-6);
    assertEquals((0.5 - 0.1) / 0.6, up[12], 1e-6);
    // Pixel (1, 1): 0.75 of the way to patch 0 on both axes.
    double p11 = 0.75 * (0.75 * 0.1 + 0.25 * 0.3) + 0.25 * (0.75 * 0.5 + 0.25 * 0.7);
    assertEquals((p11 - 0.1) / 0.6, up[5], 1e-6);
  }

  @Test
  void aUniformMapIsAllZeroAndAWrongGridIsRefused() {
    AttentionMaps uniform = new AttentionMaps(new float[] {0.25f, 0.25f, 0.25f, 0.25f}, 1, 4);
    assertArrayEquals(new float[16], uniform.upsampled(0, new PatchGrid(4, 1, 2)));
    assertThrows(
        IllegalArgumentException.class, () -> uniform.upsampled(0, new PatchGrid(28, 1, 7)));
  }
}
