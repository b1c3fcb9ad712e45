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
 * Embeddings}), and, when the model was exported with it, the last block's attention to each patch
 * ({@link AttentionMaps}). Taken with {@link VitModel#encoder()}.
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

  /**
   * Whether the model has the optional {@code attention} output ({@code vitmae export
   * --attention}).
   */
  public boolean hasAttention() {
    return info().outputs().containsKey(TensorNames.ATTENTION);
  }

  /**
   * The last encoder block's attention to each patch of a batch of images, averaged over the heads
   * (metadata {@code vitmae.attention} says whether it is the class token's row or the mean over
   * the queries).
   *
   * @throws UnsupportedOperationException when the model was exported without the {@code attention}
   *     output
   */
  public AttentionMaps attention(Pixels images) {
    if (!hasAttention()) {
      throw new UnsupportedOperationException(
          model
              + " was exported without the optional output '"
              + TensorNames.ATTENTION
              + "' (it has "
              + new java.util.TreeSet<>(info().outputs().keySet())
              + "): export the encoder again with `vitmae export --attention` or"
              + " CheckpointExporter.attention(true)");
    }
    VitModel.Output out = model.run(images, Map.of(), TensorNames.ATTENTION)[0];
    return new AttentionMaps(out.data(), images.batch(), Math.toIntExact(out.shape()[1]));
  }

  /** The attention of one image ({@code C×H×W} floats). */
  public AttentionMaps attention(float[] image) {
    return attention(Pixels.of(image));
  }

  /** The attention of {@code batch} images ({@code batch×C×H×W} floats). */
  public AttentionMaps attention(float[] images, int batch) {
    return attention(Pixels.of(images, batch));
  }

  /** The attention of {@code batch} images from the buffer's position to its limit. */
  public AttentionMaps attention(FloatBuffer images, int batch) {
    return attention(Pixels.of(images, batch));
  }

  /** The attention of an image of any size, preprocessed as the model records. */
  public AttentionMaps attention(BufferedImage image) {
    return attention(pixels(image));
  }

  /** The attention of an image file; throws {@link BadImageException} naming a bad file. */
  public AttentionMaps attention(Path imageFile) throws BadImageException {
    return attention(pixels(imageFile));
  }

  /**
   * The attention of image files as one batch; throws {@link BadImageException} naming a bad file.
   */
  public AttentionMaps attention(List<Path> imageFiles) throws BadImageException {
    return attention(pixels(imageFiles));
  }
}
