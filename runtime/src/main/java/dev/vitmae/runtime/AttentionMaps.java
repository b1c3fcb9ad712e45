package dev.vitmae.runtime;

import dev.vitmae.contract.PatchGrid;
import java.util.Arrays;

/**
 * An encoder's {@code attention} output for one batch, row-major and not copied: for each image,
 * the last encoder block's attention to each patch, averaged over the heads (the class token's row,
 * or the mean over the query tokens: metadata {@code vitmae.attention} says which).
 *
 * @param weights {@code [batch, numPatches]}, each in [0, 1]
 * @param batch images in the batch
 * @param numPatches patches per image, in the grid's row-major order
 * @throws IllegalArgumentException when the array length does not match the dimensions
 */
public record AttentionMaps(float[] weights, int batch, int numPatches) {

  public AttentionMaps {
    if ((long) batch * numPatches != weights.length) {
      throw new IllegalArgumentException(
          "attention "
              + weights.length
              + " floats do not match batch "
              + batch
              + " x numPatches "
              + numPatches);
    }
  }

  /** The attention of one image to its patches, a copy of length {@code numPatches}. */
  public float[] of(int sample) {
    return Arrays.copyOfRange(weights, sample * numPatches, (sample + 1) * numPatches);
  }

  /**
   * One image's map upsampled to pixels, {@code [imageSize, imageSize]} row-major: bilinear between
   * the patch centres (clamped at the borders), scaled to [0, 1] by its own minimum and maximum (a
   * uniform map is all 0), ready to draw as a heat map over the image.
   *
   * @throws IllegalArgumentException when {@code grid} does not have {@code numPatches} patches
   */
  public float[] upsampled(int sample, PatchGrid grid) {
    if (grid.numPatches() != numPatches) {
      throw new IllegalArgumentException(
          "a grid of " + grid.numPatches() + " patches for maps of " + numPatches);
    }
    float[] map = of(sample);
    int side = grid.gridSize();
    int size = grid.imageSize();
    float[] out = new float[size * size];
    float min = Float.POSITIVE_INFINITY;
    float max = Float.NEGATIVE_INFINITY;
    for (int y = 0; y < size; y++) {
      double gy = clamp((y + 0.5) / grid.patchSize() - 0.5, side);
      int y0 = (int) Math.floor(gy);
      int y1 = Math.min(y0 + 1, side - 1);
      double fy = gy - y0;
      for (int x = 0; x < size; x++) {
        double gx = clamp((x + 0.5) / grid.patchSize() - 0.5, side);
        int x0 = (int) Math.floor(gx);
        int x1 = Math.min(x0 + 1, side - 1);
        double fx = gx - x0;
        double top = map[y0 * side + x0] * (1 - fx) + map[y0 * side + x1] * fx;
        double bottom = map[y1 * side + x0] * (1 - fx) + map[y1 * side + x1] * fx;
        float v = (float) (top * (1 - fy) + bottom * fy);
        out[y * size + x] = v;
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }
    float range = max - min;
    for (int i = 0; i < out.length; i++) out[i] = range > 0 ? (out[i] - min) / range : 0;
    return out;
  }

  private static double clamp(double v, int side) {
    return Math.max(0, Math.min(side - 1, v));
  }
}
