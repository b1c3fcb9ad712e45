package dev.vitmae.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PatchGridTest {

  @Test
  void theReferenceGridHas16PatchesOf49Values() {
    PatchGrid g = new PatchGrid(28, 1, 7);
    assertEquals(4, g.gridSize());
    assertEquals(16, g.numPatches());
    assertEquals(49, g.patchDim());
    assertEquals(784, g.valuesPerImage());
    assertEquals(5, g.patchAt(7, 7));
    assertEquals(15, g.patchAt(27, 27));
    assertEquals(192, new PatchGrid(32, 3, 8).patchDim());
  }

  @Test
  void aPatchThatDoesNotDivideTheImageIsRefused() {
    var e = assertThrows(IllegalArgumentException.class, () -> new PatchGrid(28, 1, 5));
    assertEquals("patchSize 5 does not divide imageSize 28", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new PatchGrid(28, 0, 7));
  }

  @Test
  void maskedMseAveragesOverThePixelsOfMaskedPatchesOnly() {
    PatchGrid g = new PatchGrid(4, 2, 2); // 2×2 grid, 2 channels
    float[] images = new float[2 + g.valuesPerImage()]; // one image at offset 2, zeros
    float[] rec = new float[g.valuesPerImage()];
    // Patch 1 (top right): error 1 in channel 0, 3 in channel 1; patch 2 wrong but visible.
    for (int y = 0; y < 2; y++) {
      for (int x = 2; x < 4; x++) {
        rec[(0 * 4 + y) * 4 + x] = 1;
        rec[(1 * 4 + y) * 4 + x] = 3;
      }
    }
    rec[(0 * 4 + 3) * 4 + 0] = 100;
    float[] mask = {0, 1, 0, 0};
    assertEquals((4 * 1 + 4 * 9) / 8.0, g.maskedMse(images, 2, rec, mask), 1e-12);
    assertTrue(Double.isNaN(g.maskedMse(images, 2, rec, new float[4])), "nothing masked");
  }
}
