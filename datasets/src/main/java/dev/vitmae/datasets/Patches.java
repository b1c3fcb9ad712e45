package dev.vitmae.datasets;

/**
 * Cuts images into non-overlapping square patches and back, with the ViT/MAE layout {@code b c (h
 * p1) (w p2) -> b (h w) (p1 p2 c)}: images are {@code [batch, channels, height, width]}, patches
 * are {@code [batch, (height/p)*(width/p), p*p*channels]}, both row-major.
 *
 * @throws IllegalArgumentException if {@code patch} does not divide the image or an array has the
 *     wrong length
 */
public final class Patches {
  private Patches() {}

  /** Images {@code [b, c, h, w]} to patches {@code [b, (h/p)(w/p), p*p*c]}. */
  public static float[] patchify(
      float[] images, int batch, int channels, int height, int width, int patch) {
    check(images.length, "images", batch, channels, height, width, patch);
    float[] out = new float[images.length];
    copy(images, out, batch, channels, height, width, patch, true);
    return out;
  }

  /** Patches {@code [b, (h/p)(w/p), p*p*c]} back to images {@code [b, c, h, w]}. */
  public static float[] unpatchify(
      float[] patches, int batch, int channels, int height, int width, int patch) {
    check(patches.length, "patches", batch, channels, height, width, patch);
    float[] out = new float[patches.length];
    copy(patches, out, batch, channels, height, width, patch, false);
    return out;
  }

  /** Number of patches per image, {@code (height/patch) * (width/patch)}. */
  public static int numPatches(int height, int width, int patch) {
    check(-1, "", 1, 1, height, width, patch);
    return (height / patch) * (width / patch);
  }

  /** Walks every pixel once; {@code toPatches} picks the copy direction. */
  private static void copy(
      float[] src,
      float[] dst,
      int batch,
      int channels,
      int height,
      int width,
      int patch,
      boolean toPatches) {
    int gridW = width / patch;
    int patchDim = patch * patch * channels;
    int numPatches = (height / patch) * gridW;
    for (int b = 0; b < batch; b++) {
      for (int c = 0; c < channels; c++) {
        for (int y = 0; y < height; y++) {
          for (int x = 0; x < width; x++) {
            int image = ((b * channels + c) * height + y) * width + x;
            int n = (y / patch) * gridW + x / patch;
            int d = ((y % patch) * patch + x % patch) * channels + c;
            int patched = (b * numPatches + n) * patchDim + d;
            if (toPatches) {
              dst[patched] = src[image];
            } else {
              dst[image] = src[patched];
            }
          }
        }
      }
    }
  }

  /** Validates sizes; {@code length < 0} skips the array check. */
  private static void check(
      int length, String what, int batch, int channels, int height, int width, int patch) {
    if (batch <= 0 || channels <= 0 || height <= 0 || width <= 0 || patch <= 0) {
      throw new IllegalArgumentException(
          "sizes must be positive, got batch="
              + batch
              + " channels="
              + channels
              + " height="
              + height
              + " width="
              + width
              + " patch="
              + patch);
    }
    if (height % patch != 0 || width % patch != 0) {
      throw new IllegalArgumentException(
          "patch " + patch + " does not divide image " + height + "x" + width);
    }
    long expected = (long) batch * channels * height * width;
    if (length >= 0 && length != expected) {
      throw new IllegalArgumentException(
          what
              + " has "
              + length
              + " values, expected batch*channels*height*width = "
              + batch
              + "*"
              + channels
              + "*"
              + height
              + "*"
              + width
              + " = "
              + expected);
    }
  }
}
