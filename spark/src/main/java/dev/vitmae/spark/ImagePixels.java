package dev.vitmae.spark;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import org.apache.spark.ml.image.ImageSchema;
import org.apache.spark.sql.Row;

/**
 * Images to model pixels: float32 {@code C×H×W} in [0, 1] (byte / 255), row-major.
 *
 * <p>TEMPORARY ADAPTER until module {@code images} (issue 12) lands: images must already have the
 * model's size (no resize or crop here, by design: there is to be one preprocessing shared with
 * training); gray images feed 1-channel models (and are replicated for 3 channels), colour images
 * 3-channel models (and are converted to luminance, ITU-R BT.601, for 1 channel). {@link #decode}
 * and {@link #pixels} are the two calls that switch over to the shared implementation.
 */
final class ImagePixels {

  private ImagePixels() {}

  /**
   * Decodes an encoded image file (PNG, JPEG, GIF, BMP).
   *
   * @throws BadImageException when the bytes are no image ImageIO can read
   */
  static BufferedImage decode(byte[] bytes) {
    if (bytes == null || bytes.length == 0) throw new BadImageException("empty file");
    try {
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
      if (image == null) {
        throw new BadImageException(
            "not an image format this JVM can decode (" + bytes.length + " bytes)");
      }
      return image;
    } catch (IOException | RuntimeException e) {
      if (e instanceof BadImageException bad) throw bad;
      throw new BadImageException("cannot decode image: " + e.getMessage(), e);
    }
  }

  /**
   * A row of Spark's {@code image} data source (BGR(A) or gray bytes, OpenCV order) as an image.
   *
   * @throws BadImageException for an invalid row (the source's undecodable files) or a mode other
   *     than 8-bit
   */
  static BufferedImage fromSparkImage(Row image) {
    if (image == null) throw new BadImageException("no image (null)");
    int w = ImageSchema.getWidth(image);
    int h = ImageSchema.getHeight(image);
    int n = ImageSchema.getNChannels(image);
    byte[] data = ImageSchema.getData(image);
    if (w <= 0 || h <= 0 || data == null || data.length == 0) {
      throw new BadImageException("the image source could not decode this file");
    }
    if ((n != 1 && n != 3 && n != 4) || data.length != w * h * n) {
      throw new BadImageException(
          "unsupported image row: "
              + n
              + " channels, "
              + data.length
              + " bytes for "
              + w
              + "×"
              + h);
    }
    BufferedImage out =
        new BufferedImage(
            w, h, n == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR);
    byte[] target = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
    if (n == 4) {
      for (int i = 0, j = 0; i < data.length; i += 4, j += 3) {
        System.arraycopy(data, i, target, j, 3); // BGRA -> BGR
      }
    } else {
      System.arraycopy(data, 0, target, 0, data.length);
    }
    return out;
  }

  /**
   * The model's pixels of {@code image}: {@code channels × size × size} floats.
   *
   * @throws BadImageException when the image is not {@code size × size}
   */
  static float[] pixels(BufferedImage image, int channels, int size) {
    if (image.getWidth() != size || image.getHeight() != size) {
      throw new BadImageException(
          "image is "
              + image.getWidth()
              + "×"
              + image.getHeight()
              + " pixels, the model takes "
              + size
              + "×"
              + size
              + " (this build does not resize)");
    }
    float[] out = new float[channels * size * size];
    int plane = size * size;
    Raster raster = image.getRaster();
    boolean gray = raster.getNumBands() == 1 && image.getColorModel().getNumComponents() == 1;
    float max = (1 << raster.getSampleModel().getSampleSize(0)) - 1;
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        int at = y * size + x;
        if (gray) {
          float v = raster.getSample(x, y, 0) / max;
          for (int c = 0; c < channels; c++) out[c * plane + at] = v;
        } else {
          int rgb = image.getRGB(x, y);
          int r = (rgb >> 16) & 0xff;
          int g = (rgb >> 8) & 0xff;
          int b = rgb & 0xff;
          if (channels == 1) {
            out[at] = Math.min(255f, 0.299f * r + 0.587f * g + 0.114f * b) / 255f;
          } else {
            out[at] = r / 255f;
            out[plane + at] = g / 255f;
            out[2 * plane + at] = b / 255f;
          }
        }
      }
    }
    return out;
  }
}
