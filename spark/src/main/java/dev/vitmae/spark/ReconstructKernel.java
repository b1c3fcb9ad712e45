package dev.vitmae.spark;

import dev.vitmae.runtime.VitModel;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * MAE outputs: the reconstruction {@code [C×H×W]}, the mask {@code [numPatches]} (1 = masked) and
 * the mean squared error over the pixels of the masked patches (null when none is masked).
 *
 * <p>Each image's mask hides {@code int(ratio × numPatches)} patches, the smallest of uniform noise
 * seeded by {@code seed} and the image's pixels: the same image always gets the same mask, whatever
 * its partition, batch or task attempt.
 */
record ReconstructKernel(
    double ratio, long seed, int channels, int size, int patchSize, int numPatches)
    implements Kernel {

  @Override
  public Object[][] run(VitModel model, FloatBuffer images, int batch) {
    int length = channels * size * size;
    int masked = (int) (ratio * numPatches);
    float[] masks = new float[batch * numPatches];
    for (int i = 0; i < batch; i++) {
      float[] mask = mask(seed, images, i * length, length, numPatches, masked);
      System.arraycopy(mask, 0, masks, i * numPatches, numPatches);
    }
    float[] reconstruction = model.reconstruct(images, FloatBuffer.wrap(masks), batch);
    Object[][] out = new Object[batch][];
    for (int i = 0; i < batch; i++) {
      float[] r = Arrays.copyOfRange(reconstruction, i * length, (i + 1) * length);
      float[] m = Arrays.copyOfRange(masks, i * numPatches, (i + 1) * numPatches);
      out[i] = new Object[] {r, m, maskedMse(images, i * length, r, m)};
    }
    return out;
  }

  /** The seeded mask of the image at {@code images[from, from + length)}. */
  static float[] mask(
      long seed, FloatBuffer images, int from, int length, int numPatches, int masked) {
    int hash = 1;
    for (int j = 0; j < length; j++) hash = 31 * hash + Float.floatToIntBits(images.get(from + j));
    SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + hash);
    double[] noise = random.doubles(numPatches).toArray();
    float[] mask = new float[numPatches];
    IntStream.range(0, numPatches)
        .boxed()
        .sorted((a, b) -> Double.compare(noise[a], noise[b]))
        .limit(masked)
        .forEach(p -> mask[p] = 1f);
    return mask;
  }

  private Float maskedMse(FloatBuffer images, int from, float[] r, float[] mask) {
    int grid = size / patchSize;
    double sum = 0;
    long count = 0;
    for (int c = 0; c < channels; c++) {
      for (int y = 0; y < size; y++) {
        for (int x = 0; x < size; x++) {
          if (mask[(y / patchSize) * grid + x / patchSize] == 0f) continue;
          int at = (c * size + y) * size + x;
          double d = r[at] - images.get(from + at);
          sum += d * d;
          count++;
        }
      }
    }
    return count == 0 ? null : (float) (sum / count);
  }
}
