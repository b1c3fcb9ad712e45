package dev.vitmae.runtime;

import dev.vitmae.contract.ModelKind;
import dev.vitmae.images.BadImageException;
import dev.vitmae.images.Preprocessing;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A kind-specific view of a {@link VitModel}: {@link EncoderView}, {@link MaeView}, {@link
 * ClassifierView}, {@link PredictorView}. The kind is checked once, when the view is taken ({@code
 * model.encoder()}, …). Each operation takes its images as {@link Pixels}, which {@link
 * #pixels(BufferedImage)}, {@link #pixels(Path)} and {@link #pixels(List)} make (decoded and
 * preprocessed as the model records). {@link EncoderView} and {@link ClassifierView} also take one
 * image ({@code float[]}), a batch ({@code float[]} or {@link java.nio.FloatBuffer} and its size),
 * a {@link BufferedImage}, a {@link Path} or a list of files directly; {@link MaeView} each of
 * these but a list; {@link PredictorView} a batch. A view is as thread-safe as its model and holds
 * nothing of its own to close.
 */
public abstract sealed class ModelView permits EncoderView, MaeView, ClassifierView, PredictorView {

  final VitModel model;

  ModelView(VitModel model, ModelKind kind, String view) {
    this.model = model;
    model.requireKind(kind, view);
  }

  /** The model this view serves. */
  public VitModel model() {
    return model;
  }

  /** The model's I/O contract. */
  public ModelInfo info() {
    return model.info();
  }

  /** The model's preprocessing (computed once, at open). */
  public Preprocessing preprocessing() {
    return model.preprocessing();
  }

  /** {@code image} (any size, mode and alpha), preprocessed as the model's input. */
  public Pixels pixels(BufferedImage image) {
    return Pixels.of(model.pixels(image));
  }

  /**
   * An image file, decoded and preprocessed.
   *
   * @throws BadImageException naming the file when it cannot be decoded
   */
  public Pixels pixels(Path imageFile) throws BadImageException {
    return Pixels.of(model.pixels(imageFile));
  }

  /**
   * Image files, decoded and preprocessed, as one batch in order.
   *
   * @throws BadImageException naming the first file that cannot be decoded
   */
  public Pixels pixels(List<Path> imageFiles) throws BadImageException {
    List<float[]> images = new ArrayList<>(imageFiles.size());
    for (Path file : imageFiles) images.add(model.pixels(file));
    return Pixels.of(images);
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + model + "]";
  }
}
