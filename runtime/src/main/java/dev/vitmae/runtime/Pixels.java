package dev.vitmae.runtime;

import java.nio.FloatBuffer;
import java.util.List;
import java.util.Objects;

/**
 * A batch of images as a model's input: {@code batch × C×H×W} float32 pixels in [0, 1], row-major.
 * The one adapter every input form of the {@link ModelView views} goes through: float arrays and
 * buffers here, images and files by the model's preprocessing ({@link ModelView#pixels}). Sizes and
 * values are checked by the model that runs them.
 *
 * @param images the pixels from {@code position} to {@code limit}; a direct native-order buffer is
 *     not copied by the run
 * @param batch images in the batch, at least 1
 */
public record Pixels(FloatBuffer images, int batch) {

  public Pixels {
    Objects.requireNonNull(images, "images");
    if (batch < 1) throw new IllegalArgumentException("batch must be >= 1, got " + batch);
  }

  /** One image, {@code C×H×W} floats. */
  public static Pixels of(float[] image) {
    return of(image, 1);
  }

  /** {@code batch} images, {@code batch×C×H×W} floats. */
  public static Pixels of(float[] images, int batch) {
    return new Pixels(FloatBuffer.wrap(Objects.requireNonNull(images, "images")), batch);
  }

  /** {@code batch} images from the buffer's position to its limit. */
  public static Pixels of(FloatBuffer images, int batch) {
    return new Pixels(images, batch);
  }

  /**
   * Images of equal length, concatenated in order.
   *
   * @throws IllegalArgumentException when the list is empty or the lengths differ
   */
  public static Pixels of(List<float[]> images) {
    if (images.isEmpty()) throw new IllegalArgumentException("no images");
    int length = images.get(0).length;
    float[] all = new float[images.size() * length];
    for (int i = 0; i < images.size(); i++) {
      float[] image = Objects.requireNonNull(images.get(i), "image " + i);
      if (image.length != length) {
        throw new IllegalArgumentException(
            "image " + i + " has " + image.length + " floats, image 0 has " + length);
      }
      System.arraycopy(image, 0, all, i * length, length);
    }
    return of(all, images.size());
  }
}
