package dev.vitmae.datasets;

/**
 * Grayscale images as stored in an IDX file: {@code pixels} holds unsigned bytes, shape {@code
 * [count, rows, cols]}, row-major.
 *
 * @throws IllegalArgumentException if a dimension is not positive or the pixel count is wrong
 */
public record ImageArray(int count, int rows, int cols, byte[] pixels) {
  public ImageArray {
    if (count <= 0 || rows <= 0 || cols <= 0) {
      throw new IllegalArgumentException(
          "image dimensions must be positive, got count="
              + count
              + " rows="
              + rows
              + " cols="
              + cols);
    }
    if (pixels == null || (long) pixels.length != (long) count * rows * cols) {
      throw new IllegalArgumentException(
          "pixels must hold count*rows*cols = "
              + (long) count * rows * cols
              + " bytes, got "
              + (pixels == null ? "null" : pixels.length));
    }
  }

  /** Values per image, {@code rows * cols} (one channel: C·H·W as everywhere else). */
  public int valuesPerImage() {
    return rows * cols;
  }

  @Override
  public String toString() {
    return "ImageArray[" + count + "x" + rows + "x" + cols + "]";
  }
}
