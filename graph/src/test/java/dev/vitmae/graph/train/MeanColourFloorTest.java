package dev.vitmae.graph.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vitmae.contract.MaeMask;
import dev.vitmae.datasets.FloatImages;
import dev.vitmae.graph.Tiny;
import dev.vitmae.graph.config.ViTConfig;
import org.junit.jupiter.api.Test;

/** The MAE's mean-colour floor: exact on images whose answer is known. */
class MeanColourFloorTest {
  static final MaeTask TASK =
      new MaeTask(Tiny.mae(Tiny.vit().toBuilder().channels(3).build()).toBuilder().build());

  @Test
  void aFlatColourIsPredictedExactly() {
    ViTConfig c = TASK.config().encoder();
    int plane = c.imageSize() * c.imageSize();
    float[] pixels = new float[2 * 3 * plane];
    for (int i = 0; i < pixels.length; i++) pixels[i] = 0.2f + 0.3f * ((i / plane) % 3);
    assertEquals(0, TASK.meanColourFloor(FloatImages.of(pixels, 3, c.imageSize())), 1e-12);
  }

  @Test
  void maskedPatchesOfAnotherColourCostTheirDistance() {
    ViTConfig c = TASK.config().encoder();
    int side = c.imageSize();
    int p = c.patchSize();
    int grid = c.gridSize();
    float[] pixels = new float[3 * side * side];
    // Visible patches 0.25, masked ones 0.75 (this image's evaluation mask): the floor is 0.5².
    MaeMask mask = TASK.evalMasks(new int[] {0});
    java.util.Arrays.fill(pixels, 0.25f);
    for (int patch : mask.masked()[0]) {
      for (int ch = 0; ch < 3; ch++) {
        for (int y = patch / grid * p; y < patch / grid * p + p; y++) {
          for (int x = patch % grid * p; x < patch % grid * p + p; x++) {
            pixels[ch * side * side + y * side + x] = 0.75f;
          }
        }
      }
    }
    assertEquals(0.25, TASK.meanColourFloor(FloatImages.of(pixels, 3, side)), 1e-12);
  }
}
