package dev.vitmae.cli;

import dev.vitmae.contract.PatchGrid;
import dev.vitmae.runtime.AttentionMaps;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The attention picture: for each image, the image | its attention map as a heat map (the map of
 * {@link AttentionMaps#upsampled}: bilinear from the patch grid, scaled to its own range) | the
 * heat map blended over the image.
 */
final class AttentionPicture {
  static final List<String> COLUMNS = List.of("image", "attention", "overlay");

  /** Colour stops of the heat map (an "inferno"-like ramp): value, red, green, blue. */
  private static final float[][] RAMP = {
    {0.00f, 0.00f, 0.00f, 0.02f},
    {0.25f, 0.34f, 0.06f, 0.43f},
    {0.50f, 0.73f, 0.21f, 0.33f},
    {0.75f, 0.98f, 0.55f, 0.04f},
    {1.00f, 0.99f, 1.00f, 0.64f},
  };

  /** How much of the overlay is heat map; the rest is the image. */
  static final float HEAT = 0.55f;

  private AttentionPicture() {}

  /**
   * Writes the PNG: {@code images} {@code [batch, C, H, W]} in [0, 1] and their {@code maps}, one
   * row per image, each magnified to about 128 pixels.
   */
  static void write(PatchGrid g, float[] images, AttentionMaps maps, Path out) throws IOException {
    int size = g.imageSize();
    List<List<float[]>> rows = new ArrayList<>();
    for (int i = 0; i < maps.batch(); i++) {
      float[] rgb = rgb(images, i, g);
      float[] heat = heat(maps.upsampled(i, g));
      float[] overlay = new float[rgb.length];
      for (int p = 0; p < rgb.length; p++) overlay[p] = (1 - HEAT) * rgb[p] + HEAT * heat[p];
      rows.add(List.of(rgb, heat, overlay));
    }
    int scale = Math.max(1, 128 / size);
    Pictures.writePng(Pictures.table(COLUMNS, rows, size, size, scale), out);
  }

  /** Image {@code i} as RGB planes: RGB as it is, else its channel mean in all three. */
  static float[] rgb(float[] all, int i, PatchGrid g) {
    int hw = g.imageSize() * g.imageSize();
    int from = i * g.valuesPerImage();
    if (g.channels() == 3) return Arrays.copyOfRange(all, from, from + 3 * hw);
    float[] rgb = new float[3 * hw];
    for (int p = 0; p < hw; p++) {
      float v = 0;
      for (int ch = 0; ch < g.channels(); ch++) v += all[from + ch * hw + p] / g.channels();
      rgb[p] = v;
      rgb[hw + p] = v;
      rgb[2 * hw + p] = v;
    }
    return rgb;
  }

  /** A map of values in [0, 1] as RGB planes through {@link #RAMP}. */
  static float[] heat(float[] map) {
    int hw = map.length;
    float[] rgb = new float[3 * hw];
    for (int p = 0; p < hw; p++) {
      float v = Math.max(0, Math.min(1, map[p]));
      int s = 1;
      while (s < RAMP.length - 1 && v > RAMP[s][0]) s++;
      float[] lo = RAMP[s - 1];
      float[] hi = RAMP[s];
      float t = (v - lo[0]) / (hi[0] - lo[0]);
      for (int c = 0; c < 3; c++) rgb[c * hw + p] = lo[c + 1] + t * (hi[c + 1] - lo[c + 1]);
    }
    return rgb;
  }
}
