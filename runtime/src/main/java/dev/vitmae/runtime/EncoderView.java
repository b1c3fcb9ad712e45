package dev.vitmae.runtime;

import dev.vitmae.contract.ModelKind;
import dev.vitmae.contract.TensorNames;
import dev.vitmae.images.BadImageException;
import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * An {@link ModelKind#ENCODER} model: images → patch tokens and the pooled embedding ({@link
 * Embeddings}). Taken with {@link VitModel#encoder()}.
 */
public final class EncoderView extends ModelView {

  EncoderView(VitModel model) {
    super(model, ModelKind.ENCODER, "encoder()");
  }

  /** Embeds a batch of images. */
  public Embeddings embed(Pixels images) {
    VitModel.Output[] out = model.run(images, Map.of(), TensorNames.TOKENS, TensorNames.EMBEDDING);
    long[] t = out[0].shape();
    return new Embeddings(
        out[0].data(), out[1].data(), images.batch(), Math.toIntExact(t[1]), Math.toIntExact(t[2]));
  }

  /** Embeds one image ({@code C×H×W} floats). */
  public Embeddings embed(float[] image) {
    return embed(Pixels.of(image));
  }

  /** Embeds {@code batch} images ({@code batch×C×H×W} floats). */
  public Embeddings embed(float[] images, int batch) {
    return embed(Pixels.of(images, batch));
  }

  /** Embeds {@code batch} images from the buffer's position to its limit. */
  public Embeddings embed(FloatBuffer images, int batch) {
    return embed(Pixels.of(images, batch));
  }

  /** Embeds an image of any size, preprocessed as the model records. */
  public Embeddings embed(BufferedImage image) {
    return embed(pixels(image));
  }

  /** Embeds an image file; throws {@link BadImageException} naming a bad file. */
  public Embeddings embed(Path imageFile) throws BadImageException {
    return embed(pixels(imageFile));
  }

  /** Embeds image files as one batch; throws {@link BadImageException} naming a bad file. */
  public Embeddings embed(List<Path> imageFiles) throws BadImageException {
    return embed(pixels(imageFiles));
  }
}
