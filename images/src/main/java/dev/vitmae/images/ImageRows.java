package dev.vitmae.images;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.Raster;

/**
 * The rows of an opaque image ({@link ImageDecoder#opaque}: {@code TYPE_BYTE_GRAY}, {@code
 * TYPE_INT_RGB} or {@code TYPE_3BYTE_BGR}) as floats in [0, 1]: one plane for a gray image or a
 * gray target (RGB reduced by the BT.601 luma {@code (299 R + 587 G + 114 B) / 1000}, exact for R =
 * G = B), three planes otherwise. Not thread-safe: one per call.
 */
final class ImageRows {
  private ImageRows() {}

  static Resampler.Rows of(BufferedImage image, int targetChannels) {
    int w = image.getWidth();
    if (image.getType() == BufferedImage.TYPE_BYTE_GRAY) return gray(image.getRaster(), w);
    Packed packed = packed(image);
    int[] px = new int[w];
    boolean luma = targetChannels == 1;
    return new Resampler.Rows() {
      public int channels() {
        return luma ? 1 : 3;
      }

      public int width() {
        return w;
      }

      public void read(int y, int from, int to, float[] dst) {
        int n = to - from;
        packed.row(y, from, n, px);
        for (int i = 0; i < n; i++) {
          int p = px[i];
          int r = p >>> 16 & 0xFF;
          int g = p >>> 8 & 0xFF;
          int b = p & 0xFF;
          if (luma) {
            dst[i] = (299 * r + 587 * g + 114 * b) / 255000f;
          } else {
            dst[i] = r / 255f;
            dst[n + i] = g / 255f;
            dst[2 * n + i] = b / 255f;
          }
        }
      }
    };
  }

  /** Reads {@code n} pixels of row {@code y} from column {@code from} as 0xRRGGBB ints. */
  private interface Packed {
    void row(int y, int from, int n, int[] dst);
  }

  private static Packed packed(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    Raster r = image.getRaster();
    boolean whole = r.getSampleModelTranslateX() == 0 && r.getSampleModelTranslateY() == 0;
    if (image.getType() == BufferedImage.TYPE_INT_RGB
        && whole
        && r.getDataBuffer() instanceof DataBufferInt b
        && b.getData().length == w * h) {
      int[] data = b.getData();
      return (y, from, n, dst) -> System.arraycopy(data, y * w + from, dst, 0, n);
    }
    if (image.getType() == BufferedImage.TYPE_3BYTE_BGR
        && whole
        && r.getDataBuffer() instanceof DataBufferByte b
        && b.getData().length == 3 * w * h) {
      byte[] data = b.getData();
      return (y, from, n, dst) -> {
        for (int i = 0, j = 3 * (y * w + from); i < n; i++, j += 3) {
          dst[i] = (data[j + 2] & 0xFF) << 16 | (data[j + 1] & 0xFF) << 8 | (data[j] & 0xFF);
        }
      };
    }
    if (image.getType() != BufferedImage.TYPE_INT_RGB
        && image.getType() != BufferedImage.TYPE_3BYTE_BGR) {
      throw new IllegalArgumentException(
          "expected an opaque gray, RGB or BGR image, got type " + image.getType());
    }
    return (y, from, n, dst) -> image.getRGB(from, y, n, 1, dst, 0, n);
  }

  private static Resampler.Rows gray(Raster raster, int w) {
    int[] buffer = new int[w];
    return new Resampler.Rows() {
      public int channels() {
        return 1;
      }

      public int width() {
        return w;
      }

      public void read(int y, int from, int to, float[] dst) {
        int[] s = raster.getSamples(from, y, to - from, 1, 0, buffer);
        for (int i = 0; i < to - from; i++) dst[i] = s[i] / 255f;
      }
    };
  }
}
