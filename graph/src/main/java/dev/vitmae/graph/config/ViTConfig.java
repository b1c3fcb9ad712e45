package dev.vitmae.graph.config;

/**
 * A Vision Transformer encoder (and its classification head).
 *
 * <p>Defaults ({@link #reference()}) are the reference design: 28×28×1 images in 7×7 patches,
 * dim 128, depth 1, 8 heads of 64, MLP 128, cls pooling, learned positions, 10 classes.
 */
public record ViTConfig(
    int imageSize,
    int patchSize,
    int channels,
    int dim,
    int depth,
    int heads,
    int dimHead,
    int mlpDim,
    int numClasses,
    Pooling pool,
    PosEmbedding posEmbedding) {

  public ViTConfig {
    positive("imageSize", imageSize);
    positive("patchSize", patchSize);
    positive("channels", channels);
    positive("dim", dim);
    positive("depth", depth);
    positive("heads", heads);
    positive("dimHead", dimHead);
    positive("mlpDim", mlpDim);
    positive("numClasses", numClasses);
    if (imageSize % patchSize != 0) {
      throw new IllegalArgumentException(
          "imageSize " + imageSize + " must be divisible by patchSize " + patchSize);
    }
    if (pool == null || posEmbedding == null) {
      throw new IllegalArgumentException("pool and posEmbedding must be set");
    }
    if (posEmbedding == PosEmbedding.SINCOS && dim % 4 != 0) {
      throw new IllegalArgumentException("SINCOS positions need dim divisible by 4, got " + dim);
    }
  }

  /** The reference design of DEVELOPERS.md. */
  public static ViTConfig reference() {
    return new ViTConfig(28, 7, 1, 128, 1, 8, 64, 128, 10, Pooling.CLS, PosEmbedding.LEARNED);
  }

  /** This config with pooling {@code p}. */
  public ViTConfig withPool(Pooling p) {
    return new ViTConfig(imageSize, patchSize, channels, dim, depth, heads, dimHead, mlpDim,
        numClasses, p, posEmbedding);
  }

  /** Patches per side of the grid. */
  public int gridSize() {
    return imageSize / patchSize;
  }

  /** Number of patch tokens, e.g. 16 for 28×28 images in 7×7 patches. */
  public int numPatches() {
    return gridSize() * gridSize();
  }

  /** Values per patch: {@code patchSize² × channels}, e.g. 49. */
  public int patchDim() {
    return patchSize * patchSize * channels;
  }

  static void positive(String name, int value) {
    if (value <= 0) throw new IllegalArgumentException(name + " must be > 0, got " + value);
  }
}
