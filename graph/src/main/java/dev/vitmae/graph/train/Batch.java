package dev.vitmae.graph.train;

import dev.vitmae.datasets.ImageSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One batch as the {@link Trainer} hands it to a {@link Task}: the images, their labels and the
 * seed of the step's randomness. The trainer reads each batch itself, in its planned order (so a
 * prefetching source serves it), and a task only turns it into the graph's feeds.
 *
 * @param indices the images' indices in their source (a task may key per-image randomness on them)
 * @param images {@code [B, C, H, W]} in [0, 1]
 * @param labels the class of each image, or null when the source has no labels
 * @param seed seeds the step's randomness (e.g. masks): a function of (run seed, step)
 */
public record Batch(int[] indices, INDArray images, int[] labels, long seed) {
  public Batch {
    if (images.size(0) != indices.length) {
      throw new IllegalArgumentException(
          indices.length + " indices for " + images.size(0) + " images");
    }
    if (labels != null && labels.length != indices.length) {
      throw new IllegalArgumentException(
          indices.length + " indices for " + labels.length + " labels");
    }
  }

  /** Reads the images {@code indices} of {@code data} (and their labels, when it has them). */
  public static Batch read(ImageSource data, int[] indices, long seed) {
    int[] labels = null;
    if (data.hasLabels()) {
      labels = new int[indices.length];
      for (int i = 0; i < indices.length; i++) labels[i] = data.label(indices[i]);
    }
    return new Batch(indices.clone(), Task.images(data, indices), labels, seed);
  }

  /** The number of images. */
  public int size() {
    return indices.length;
  }

  /**
   * The labels.
   *
   * @throws IllegalStateException when the batch has none
   */
  public int[] requireLabels() {
    if (labels == null) throw new IllegalStateException("the batch's images have no labels");
    return labels;
  }
}
