package dev.vitmae.images;

/**
 * A region of a source image, {@code height × width} pixels from {@code (top, left)}, and whether
 * the result is mirrored left-right: what {@link Augmentation} draws for one image.
 */
public record Crop(int top, int left, int height, int width, boolean flip) {
  public Crop {
    if (top < 0 || left < 0 || height < 1 || width < 1) {
      throw new IllegalArgumentException(
          "crop needs top, left >= 0 and a positive size, got top="
              + top
              + " left="
              + left
              + " "
              + height
              + "x"
              + width);
    }
  }

  /** Checks the crop lies inside a {@code imageWidth × imageHeight} image. */
  void checkInside(int imageWidth, int imageHeight) {
    if (top + height > imageHeight || left + width > imageWidth) {
      throw new IllegalArgumentException(
          this + " lies outside a " + imageWidth + "x" + imageHeight + " image");
    }
  }
}
