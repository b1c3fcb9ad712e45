package dev.vitmae.spark;

import dev.vitmae.contract.MaeMasking;
import dev.vitmae.contract.PatchGrid;
import dev.vitmae.runtime.MaeView;
import dev.vitmae.runtime.VitModel;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * MAE outputs: the reconstruction {@code [C×H×W]}, the mask {@code [numPatches]} (1 = masked) and
 * the mean squared error over the pixels of the masked patches (null when none is masked).
 *
 * <p>Each image's mask is the contract's {@link MaeMasking} draw of {@code int(ratio × numPatches)}
 * patches, seeded by {@code seed} and the image's pixels: the same image always gets the same mask,
 * whatever its partition, batch or task attempt.
 */
record ReconstructKernel(double ratio, long seed, PatchGrid grid) implements Kernel<MaeView> {

  @Override
  public MaeView view(VitModel model) {
    return model.mae();
  }

  @Override
  public Object[][] run(MaeView model, FloatBuffer images, int batch) {
    int length = grid.valuesPerImage();
    int numPatches = grid.numPatches();
    float[] masks = new float[batch * numPatches];
    for (int i = 0; i < batch; i++) {
      float[] mask = mask(seed, images, i * length, length, numPatches, ratio);
      System.arraycopy(mask, 0, masks, i * numPatches, numPatches);
    }
    float[] reconstruction = model.reconstruct(images, FloatBuffer.wrap(masks), batch);
    Object[][] out = new Object[batch][];
    for (int i = 0; i < batch; i++) {
      float[] r = Arrays.copyOfRange(reconstruction, i * length, (i + 1) * length);
      float[] m = Arrays.copyOfRange(masks, i * numPatches, (i + 1) * numPatches);
      double mse = grid.maskedMse(images, i * length, r, m);
      out[i] = new Object[] {r, m, Double.isNaN(mse) ? null : (float) mse};
    }
    return out;
  }

  /** The seeded mask of the image at {@code images[from, from + length)}. */
  static float[] mask(
      long seed, FloatBuffer images, int from, int length, int numPatches, double ratio) {
    int hash = 1;
    for (int j = 0; j < length; j++) hash = 31 * hash + Float.floatToIntBits(images.get(from + j));
    return MaeMasking.floatMask(
        numPatches, ratio, new SplittableRandom(seed * 0x9E3779B97F4A7C15L + hash));
  }
}
