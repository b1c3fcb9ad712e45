package dev.vitmae.images;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.awt.image.Raster;

/**
 * The rows of an opaque {@code TYPE_BYTE_GRAY} or {@code TYPE_INT_RGB} image as floats in [0, 1]:
 * one plane for a gray image or a gray target (RGB reduced by the BT.601 luma {@code (299 R + 587 G
 * + 114 B) / 1000}, exact for R = G = B), three planes otherwise. Not thread-safe: one per call.
 */
final class ImageRows {
  private ImageRows() {}

  static Resampler.Rows of(BufferedImage image, int targetChannels) {
    int w = image.getWidth();
    if (image.getType() == BufferedImage.TYPE_BYTE_GRAY) return gray(image.getRaster(), w);
    if (image.getType() != BufferedImage.TYPE_INT_RGB) {
      throw new IllegalArgumentException(
          "expected an opaque gray or RGB image, got type " + image.getType());
    }
    int[] data =
        image.getRaster().getDataBuffer() instanceof DataBufferInt b
                && b.getData().length == w * image.getHeight()
                && image.getRaster().getSampleModelTranslateX() == 0
                && image.getRaster().getSampleModelTranslateY() == 0
            ? b.getData()
            : null;
    return targetChannels == 1 ? luma(image, data, w) : rgb(image, data, w);
  }

  private static Resampler.Rows gray(Raster raster, int w) {
    return new Resampler.Rows() {
      private final int[] buffer = new int[w];

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

  private static Resampler.Rows luma(BufferedImage image, int[] data, int w) {
    int[] row = data == null ? new int[w] : null;
    return new Resampler.Rows() {
      public int channels() {
        return 1;
      }

      public int width() {
        return w;
      }

      public void read(int y, int from, int to, float[] dst) {
        int[] px = data != null ? data : image.getRGB(from, y, to - from, 1, row, 0, w);
        int base = data != null ? y * w + from : 0;
        for (int i = 0; i < to - from; i++) {
          int p = px[base + i];
          dst[i] = (299 * (p >>> 16 & 0xFF) + 587 * (p >>> 8 & 0xFF) + 114 * (p & 0xFF)) / 255000f;
        }
      }
    };
  }

  private static Resampler.Rows rgb(BufferedImage image, int[] data, int w) {
    int[] row = data == null ? new int[w] : null;
    return new Resampler.Rows() {
      public int channels() {
        return 3;
      }

      public int width() {
        return w;
      }

      public void read(int y, int from, int to, float[] dst) {
        int[] px = data != null ? data : image.getRGB(from, y, to - from, 1, row, 0, w);
        int base = data != null ? y * w + from : 0;
        int n = to - from;
        for (int i = 0; i < n; i++) {
          int p = px[base + i];
          dst[i] = (p >>> 16 & 0xFF) / 255f;
          dst[n + i] = (p >>> 8 & 0xFF) / 255f;
          dst[2 * n + i] = (p & 0xFF) / 255f;
        }
      }
    };
  }
}
