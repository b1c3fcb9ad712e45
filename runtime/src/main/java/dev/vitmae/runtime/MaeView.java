package dev.vitmae.runtime;

import dev.vitmae.contract.MaeMasking;
import dev.vitmae.contract.ModelKind;
import dev.vitmae.contract.TensorNames;
import dev.vitmae.images.BadImageException;
import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * An {@link ModelKind#MAE} model: images and a mask {@code [batch, numPatches]} (1 = masked, 0 =
 * visible) → the reconstruction {@code [batch, C, H, W]}: masked patches predicted, visible ones
 * passed through. Taken with {@link VitModel#mae()}.
 */
public final class MaeView extends ModelView {

  MaeView(VitModel model) {
    super(model, ModelKind.MAE, "mae()");
  }

  /**
   * The masking ratio the model was trained with ({@link ModelInfo#maskingRatio()}), else {@link
   * MaeMasking#DEFAULT_RATIO}.
   */
  public double maskingRatio() {
    return info().maskingRatioOrDefault();
  }

  /**
   * Seeded random masks for {@code batch} images at {@code ratio}, {@code batch×numPatches} floats:
   * the contract's {@link MaeMasking} draw, as training samples them.
   */
  public float[] masks(int batch, double ratio, long seed) {
    int n = info().numPatches();
    return MaeMasking.toFloatMask(MaeMasking.sample(batch, n, ratio, seed), n);
  }

  /** Reconstructs a batch; {@code mask} has {@code batch×numPatches} values of 0 or 1. */
  public float[] reconstruct(Pixels images, FloatBuffer mask) {
    Objects.requireNonNull(mask, "mask");
    Inputs.mask(mask, images.batch(), info().numPatches());
    return model.run(images, Map.of(TensorNames.MASK, mask), TensorNames.RECONSTRUCTION)[0].data();
  }

  /** {@link #reconstruct(Pixels, FloatBuffer)} with the mask as an array. */
  public float[] reconstruct(Pixels images, float[] mask) {
    return reconstruct(images, FloatBuffer.wrap(Objects.requireNonNull(mask, "mask")));
  }

  /** Reconstructs one image ({@code C×H×W} floats). */
  public float[] reconstruct(float[] image, float[] mask) {
    return reconstruct(Pixels.of(image), mask);
  }

  /** Reconstructs {@code batch} images ({@code batch×C×H×W} floats). */
  public float[] reconstruct(float[] images, float[] mask, int batch) {
    return reconstruct(Pixels.of(images, batch), mask);
  }

  /** Reconstructs {@code batch} images from buffers; direct native-order buffers are not copied. */
  public float[] reconstruct(FloatBuffer images, FloatBuffer mask, int batch) {
    return reconstruct(Pixels.of(images, batch), mask);
  }

  /** Reconstructs an image of any size, preprocessed: {@code C×H×W} floats. */
  public float[] reconstruct(BufferedImage image, float[] mask) {
    return reconstruct(pixels(image), mask);
  }

  /** Reconstructs an image file, preprocessed; throws {@link BadImageException} naming it. */
  public float[] reconstruct(Path imageFile, float[] mask) throws BadImageException {
    return reconstruct(pixels(imageFile), mask);
  }
}
