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
 * A {@link ModelKind#CLASSIFIER} model: images → logits {@code [batch, classes]} and the most
 * likely class. Taken with {@link VitModel#classifier()}.
 */
public final class ClassifierView extends ModelView {

  ClassifierView(VitModel model) {
    super(model, ModelKind.CLASSIFIER, "classifier()");
  }

  /**
   * The number of classes: the logits' width, or {@code vitmae.num_classes} where the width is
   * symbolic.
   *
   * @throws IllegalStateException when the model records neither
   */
  public int numClasses() {
    return info()
        .numClasses()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "the classifier's '"
                        + TensorNames.LOGITS
                        + "' output has a symbolic class dimension and the model records no "
                        + dev.vitmae.contract.MetadataKey.NUM_CLASSES.name()
                        + ": count the columns of classify()'s logits instead"));
  }

  /** The class names the model records, in class order; empty when none. */
  public List<String> classNames() {
    return info().classNames();
  }

  /** Logits, {@code batch×classes} floats. */
  public float[] classify(Pixels images) {
    return model.run(images, Map.of(), TensorNames.LOGITS)[0].data();
  }

  /** Logits of one image. */
  public float[] classify(float[] image) {
    return classify(Pixels.of(image));
  }

  /** Logits of {@code batch} images. */
  public float[] classify(float[] images, int batch) {
    return classify(Pixels.of(images, batch));
  }

  /** Logits of {@code batch} images from the buffer's position to its limit. */
  public float[] classify(FloatBuffer images, int batch) {
    return classify(Pixels.of(images, batch));
  }

  /** Logits of an image of any size, preprocessed as the model records. */
  public float[] classify(BufferedImage image) {
    return classify(pixels(image));
  }

  /** Logits of an image file; throws {@link BadImageException} naming a bad file. */
  public float[] classify(Path imageFile) throws BadImageException {
    return classify(pixels(imageFile));
  }

  /** Logits of image files as one batch; throws {@link BadImageException} naming a bad file. */
  public float[] classify(List<Path> imageFiles) throws BadImageException {
    return classify(pixels(imageFiles));
  }

  /** The most likely class of each image. */
  public int[] predict(Pixels images) {
    float[] logits = classify(images);
    int classes = logits.length / images.batch();
    int[] labels = new int[images.batch()];
    for (int b = 0; b < labels.length; b++) labels[b] = argmax(logits, b * classes, classes);
    return labels;
  }

  /** The most likely class of one image. */
  public int predict(float[] image) {
    return predict(Pixels.of(image))[0];
  }

  /** The most likely class of each of {@code batch} images. */
  public int[] predict(float[] images, int batch) {
    return predict(Pixels.of(images, batch));
  }

  /** The most likely class of each of {@code batch} images from the buffer. */
  public int[] predict(FloatBuffer images, int batch) {
    return predict(Pixels.of(images, batch));
  }

  /** The most likely class of an image of any size. */
  public int predict(BufferedImage image) {
    return predict(pixels(image))[0];
  }

  /** The most likely class of an image file; throws {@link BadImageException} naming a bad file. */
  public int predict(Path imageFile) throws BadImageException {
    return predict(pixels(imageFile))[0];
  }

  /** The most likely class of each image file, in order. */
  public int[] predict(List<Path> imageFiles) throws BadImageException {
    return predict(pixels(imageFiles));
  }

  /**
   * The index of the largest of {@code logits[from, from + classes)} (the first on ties): the one
   * argmax of vitmae's serving.
   */
  public static int argmax(float[] logits, int from, int classes) {
    int best = 0;
    for (int c = 1; c < classes; c++) if (logits[from + c] > logits[from + best]) best = c;
    return best;
  }
}
