package dev.vitmae.images;

/**
 * Antialiased bilinear resampling of planar float images, as PIL's {@code Image.resize(...,
 * BILINEAR)} and torchvision's {@code resize(..., antialias=True)}: a separable triangle filter
 * whose support is scaled by the downscale factor (so every input pixel contributes when
 * shrinking), half-pixel centres, weights renormalized at the borders. Computed in float with no
 * intermediate rounding, then clamped to [0, 1] (float rounding of the weights overshot by up to
 * ~2e-6). Resampling to the same size is the identity, exactly.
 */
final class Resampler {
  private Resampler() {}

  /**
   * Weights mapping an input window of {@code inLength} pixels from {@code inStart} onto {@code
   * outSize} output pixels, evaluated only for outputs {@code [outFrom, outFrom + outCount)}.
   */
  record Kernel(int[] start, int[] length, float[] weights, int width) {
    int count() {
      return start.length;
    }

    int minStart() {
      int m = Integer.MAX_VALUE;
      for (int s : start) m = Math.min(m, s);
      return m;
    }

    int maxEnd() {
      int m = 0;
      for (int i = 0; i < start.length; i++) m = Math.max(m, start[i] + length[i]);
      return m;
    }
  }

  static Kernel kernel(int inStart, int inLength, int outSize, int outFrom, int outCount) {
    double scale = (double) inLength / outSize;
    double filterScale = Math.max(scale, 1.0);
    double support = filterScale; // the triangle filter's support is 1
    int width = (int) Math.ceil(support) * 2 + 1;
    int[] start = new int[outCount];
    int[] length = new int[outCount];
    float[] weights = new float[outCount * width];
    double[] k = new double[width];
    for (int o = 0; o < outCount; o++) {
      double center = (outFrom + o + 0.5) * scale;
      int min = Math.max((int) (center - support + 0.5), 0);
      int max = Math.min((int) (center + support + 0.5), inLength);
      double sum = 0;
      for (int x = min; x < max; x++) {
        double t = Math.abs((x - center + 0.5) / filterScale);
        k[x - min] = t < 1 ? 1 - t : 0;
        sum += k[x - min];
      }
      start[o] = inStart + min;
      length[o] = max - min;
      for (int x = 0; x < max - min; x++) {
        weights[o * width + x] = (float) (sum == 0 ? 0 : k[x] / sum);
      }
    }
    return new Kernel(start, length, weights, width);
  }

  /** Rows of a source image as floats in [0, 1], one row at a time (memory O(width)). */
  interface Rows {
    int channels();

    int width();

    /**
     * Writes columns {@code [from, to)} of row {@code y} into {@code dst}, channel by channel:
     * {@code dst[c * (to - from) + x - from]}.
     */
    void read(int y, int from, int to, float[] dst);
  }

  /**
   * Resamples {@code rows} with the column kernel {@code kx} and the row kernel {@code ky} into
   * {@code dst} from {@code offset}, {@code [channels, ky.count(), kx.count()]}. Only the source
   * rows and columns the kernels touch are read.
   */
  static void resample(Rows rows, Kernel kx, Kernel ky, float[] dst, int offset) {
    int channels = rows.channels();
    int ow = kx.count();
    int oh = ky.count();
    int x0 = kx.minStart();
    int span = kx.maxEnd() - x0;
    int y0 = ky.minStart();
    int needed = ky.maxEnd() - y0;
    float[] row = new float[channels * span];
    float[] tmp = new float[channels * needed * ow];
    // Horizontal pass over the rows the vertical pass needs.
    for (int y = 0; y < needed; y++) {
      rows.read(y0 + y, x0, x0 + span, row);
      for (int c = 0; c < channels; c++) {
        int in = c * span - x0;
        int out = (c * needed + y) * ow;
        for (int x = 0; x < ow; x++) {
          int s = in + kx.start()[x];
          int w = x * kx.width();
          float sum = 0;
          for (int i = 0, n = kx.length()[x]; i < n; i++) sum += row[s + i] * kx.weights()[w + i];
          tmp[out + x] = sum;
        }
      }
    }
    // Vertical pass.
    for (int c = 0; c < channels; c++) {
      int plane = c * needed * ow;
      int out = offset + c * oh * ow;
      for (int y = 0; y < oh; y++) {
        int s = ky.start()[y] - y0;
        int w = y * ky.width();
        int o = out + y * ow;
        java.util.Arrays.fill(dst, o, o + ow, 0f);
        for (int i = 0, n = ky.length()[y]; i < n; i++) {
          float weight = ky.weights()[w + i];
          int t = plane + (s + i) * ow;
          for (int x = 0; x < ow; x++) dst[o + x] += tmp[t + x] * weight;
        }
        // The weights are non-negative and sum to 1 in exact arithmetic, but not in float: a white
        // 5120x2880 image came out at 1.0000018. Clamp, as torchvision's uint8 round trip does,
        // so the output is in [0, 1] by construction (values already inside are unchanged).
        for (int x = o; x < o + ow; x++) dst[x] = Math.min(1f, Math.max(0f, dst[x]));
      }
    }
  }

  /** Mirrors each row of a planar {@code [channels, size, size]} image left-right, in place. */
  static void mirror(float[] dst, int offset, int channels, int size) {
    for (int c = 0; c < channels; c++) {
      for (int y = 0; y < size; y++) {
        int row = offset + (c * size + y) * size;
        for (int a = row, b = row + size - 1; a < b; a++, b--) {
          float t = dst[a];
          dst[a] = dst[b];
          dst[b] = t;
        }
      }
    }
  }
}
