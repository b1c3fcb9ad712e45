package dev.vitmae.graph.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Images to patch tokens and back, in the layout {@code b c (h p1) (w p2) -> b (h w) (p1 p2 c)}
 * (the same as {@code dev.vitmae.datasets.Patches}, so host and graph agree).
 */
public final class Patchify {
  private Patchify() {}

  /** {@code [B, C, g·p, g·p] -> [B, g², p²·C]}. */
  public static SDVariable patches(
      SameDiff sd, SDVariable images, int channels, int grid, int patch) {
    SDVariable x = sd.reshape(images, -1, channels, grid, patch, grid, patch);
    x = sd.permute(x, 0, 2, 4, 3, 5, 1);
    return sd.reshape(x, -1, grid * grid, patch * patch * channels);
  }

  /** {@code [B, g², p²·C] -> [B, C, g·p, g·p]}, the inverse of {@link #patches}. */
  public static SDVariable images(
      SameDiff sd, SDVariable patches, int channels, int grid, int patch) {
    SDVariable x = sd.reshape(patches, -1, grid, grid, patch, patch, channels);
    x = sd.permute(x, 0, 5, 1, 3, 2, 4);
    return sd.reshape(x, -1, channels, grid * patch, grid * patch);
  }
}
