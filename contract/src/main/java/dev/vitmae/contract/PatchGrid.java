package dev.vitmae.contract;

import java.io.Serializable;
import java.nio.FloatBuffer;

/**
 * The patch grid of square {@code channels × imageSize × imageSize} images cut into {@code
 * patchSize × patchSize} patches, row-major ({@code b c (h p1) (w p2) -> b (h w) (p1 p2 c)}): the
 * geometry training, serving and Spark share (serializable, for Spark's executors).
 *
 * @throws IllegalArgumentException when a size is not positive or the patch does not divide the
 *     image
 */
public record PatchGrid(int imageSize, int channels, int patchSize) implements Serializable {

  public PatchGrid {
    if (imageSize <= 0 || channels <= 0 || patchSize <= 0) {
      throw new IllegalArgumentException(
          "sizes must be positive, got imageSize="
              + imageSize
              + " channels="
              + channels
              + " patchSize="
              + patchSize);
    }
    if (imageSize % patchSize != 0) {
      throw new IllegalArgumentException(
          "patchSize " + patchSize + " does not divide imageSize " + imageSize);
    }
  }

  /** Patches per side. */
  public int gridSize() {
    return imageSize / patchSize;
  }

  /** Patches per image, e.g. 16 for 28×28 images in 7×7 patches. */
  public int numPatches() {
    return gridSize() * gridSize();
  }

  /** Values per patch: {@code patchSize² × channels}, e.g. 49. */
  public int patchDim() {
    return patchSize * patchSize * channels;
  }

  /** Floats in one image: {@code channels × imageSize × imageSize}. */
  public int valuesPerImage() {
    return channels * imageSize * imageSize;
  }

  /** The patch that holds pixel ({@code y}, {@code x}). */
  public int patchAt(int y, int x) {
    return (y / patchSize) * gridSize() + x / patchSize;
  }

  /**
   * The mean squared error between {@code reconstruction} and the image at {@code images[from, from
   * + valuesPerImage())} over the pixels of the patches {@code mask} marks 1, in double precision;
   * NaN when none is masked.
   *
   * @param reconstruction one image, {@code valuesPerImage()} floats
   * @param mask {@code numPatches()} values, 1 = masked
   */
  public double maskedMse(float[] images, int from, float[] reconstruction, float[] mask) {
    return maskedMse(FloatBuffer.wrap(images), from, reconstruction, mask);
  }

  /** {@link #maskedMse(float[], int, float[], float[])} reading the images by absolute index. */
  public double maskedMse(FloatBuffer images, int from, float[] reconstruction, float[] mask) {
    double sum = 0;
    long count = 0;
    for (int c = 0; c < channels; c++) {
      for (int y = 0; y < imageSize; y++) {
        for (int x = 0; x < imageSize; x++) {
          if (mask[patchAt(y, x)] == 0f) continue;
          int at = (c * imageSize + y) * imageSize + x;
          double d = reconstruction[at] - images.get(from + at);
          sum += d * d;
          count++;
        }
      }
    }
    return count == 0 ? Double.NaN : sum / count;
  }
}
