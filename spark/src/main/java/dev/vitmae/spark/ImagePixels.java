package dev.vitmae.spark;

import dev.vitmae.images.Preprocessing;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import org.apache.spark.ml.image.ImageSchema;
import org.apache.spark.sql.Row;

/**
 * Images to model pixels (float32 {@code C×H×W} in [0, 1]) through module {@code images}: its
 * {@code ImageDecoder} and the model's {@link Preprocessing} ({@code vitmae.preprocessing.*}
 * metadata, else shorter side + centre crop to the model's size), the one implementation training
 * and the runtime use. Nothing here resizes or converts channels itself.
 */
final class ImagePixels {

  private ImagePixels() {}

  /**
   * Decodes an encoded file (JPEG, PNG, BMP, GIF) and preprocesses it.
   *
   * @throws BadRowException with the decoder's reason (empty, not an image, truncated, …)
   */
  static float[] decoded(byte[] bytes, Preprocessing preprocessing) {
    try {
      return preprocessed(preprocessing.decoder().read(bytes, "image"), preprocessing);
    } catch (dev.vitmae.images.BadImageException e) {
      throw new BadRowException(e.reason(), e);
    }
  }

  /**
   * Preprocesses a decoded image of any size and mode.
   *
   * @throws BadRowException when the preprocessing refuses it
   */
  static float[] preprocessed(BufferedImage image, Preprocessing preprocessing) {
    try {
      return preprocessing.apply(image);
    } catch (IllegalArgumentException e) {
      throw new BadRowException("cannot preprocess the image: " + e.getMessage(), e);
    }
  }

  /**
   * A row of Spark's {@code image} data source (BGR, BGRA or gray bytes, OpenCV order) as an image:
   * {@code TYPE_BYTE_GRAY}, {@code TYPE_3BYTE_BGR} or {@code TYPE_4BYTE_ABGR} (whose alpha the
   * preprocessing composites).
   *
   * @throws BadRowException for an invalid row (a file the source could not decode) or an
   *     unsupported mode
   */
  static BufferedImage fromSparkImage(Row image) {
    int w = ImageSchema.getWidth(image);
    int h = ImageSchema.getHeight(image);
    int n = ImageSchema.getNChannels(image);
    byte[] data = ImageSchema.getData(image);
    if (w <= 0 || h <= 0 || data == null || data.length == 0) {
      throw new BadRowException("the image source could not decode this file");
    }
    if ((n != 1 && n != 3 && n != 4) || data.length != (long) w * h * n) {
      throw new BadRowException(
          String.format(
              "unsupported image row: %d channels, %d bytes for %d×%d", n, data.length, w, h));
    }
    int type =
        switch (n) {
          case 1 -> BufferedImage.TYPE_BYTE_GRAY;
          case 3 -> BufferedImage.TYPE_3BYTE_BGR;
          default -> BufferedImage.TYPE_4BYTE_ABGR;
        };
    BufferedImage out = new BufferedImage(w, h, type);
    byte[] target = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
    if (n == 4) {
      for (int i = 0; i < data.length; i += 4) { // BGRA -> ABGR
        target[i] = data[i + 3];
        target[i + 1] = data[i];
        target[i + 2] = data[i + 1];
        target[i + 3] = data[i + 2];
      }
    } else {
      System.arraycopy(data, 0, target, 0, data.length);
    }
    return out;
  }
}
