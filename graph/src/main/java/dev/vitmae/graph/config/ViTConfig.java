package dev.vitmae.graph.config;

import dev.vitmae.contract.PatchGrid;

/**
 * A Vision Transformer encoder (and its classification head).
 *
 * <p>Defaults ({@link #reference()}) are the reference design: 28×28×1 images in 7×7 patches, dim
 * 128, depth 1, 8 heads of 64, MLP 128, cls pooling, learned positions, 10 classes.
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
    return new ViTConfig(
        imageSize,
        patchSize,
        channels,
        dim,
        depth,
        heads,
        dimHead,
        mlpDim,
        numClasses,
        p,
        posEmbedding);
  }

  /** The patch grid of this encoder's images (the contract's geometry). */
  public PatchGrid grid() {
    return new PatchGrid(imageSize, channels, patchSize);
  }

  /** Patches per side of the grid. */
  public int gridSize() {
    return grid().gridSize();
  }

  /** Number of patch tokens, e.g. 16 for 28×28 images in 7×7 patches. */
  public int numPatches() {
    return grid().numPatches();
  }

  /** Values per patch: {@code patchSize² × channels}, e.g. 49. */
  public int patchDim() {
    return grid().patchDim();
  }

  static void positive(String name, int value) {
    if (value <= 0) throw new IllegalArgumentException(name + " must be > 0, got " + value);
  }

  /** A builder that starts from {@link #reference()}: set what differs, by name. */
  public static Builder builder() {
    return new Builder(reference());
  }

  /** A builder that starts from this config. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Names every value of a {@link ViTConfig}; {@link #build()} validates (the compact constructor).
   */
  public static final class Builder {
    private int imageSize;
    private int patchSize;
    private int channels;
    private int dim;
    private int depth;
    private int heads;
    private int dimHead;
    private int mlpDim;
    private int numClasses;
    private Pooling pool;
    private PosEmbedding posEmbedding;

    private Builder(ViTConfig c) {
      imageSize = c.imageSize;
      patchSize = c.patchSize;
      channels = c.channels;
      dim = c.dim;
      depth = c.depth;
      heads = c.heads;
      dimHead = c.dimHead;
      mlpDim = c.mlpDim;
      numClasses = c.numClasses;
      pool = c.pool;
      posEmbedding = c.posEmbedding;
    }

    public Builder imageSize(int value) {
      imageSize = value;
      return this;
    }

    public Builder patchSize(int value) {
      patchSize = value;
      return this;
    }

    public Builder channels(int value) {
      channels = value;
      return this;
    }

    public Builder dim(int value) {
      dim = value;
      return this;
    }

    public Builder depth(int value) {
      depth = value;
      return this;
    }

    public Builder heads(int value) {
      heads = value;
      return this;
    }

    public Builder dimHead(int value) {
      dimHead = value;
      return this;
    }

    public Builder mlpDim(int value) {
      mlpDim = value;
      return this;
    }

    public Builder numClasses(int value) {
      numClasses = value;
      return this;
    }

    public Builder pool(Pooling value) {
      pool = value;
      return this;
    }

    public Builder posEmbedding(PosEmbedding value) {
      posEmbedding = value;
      return this;
    }

    /** The config; throws {@link IllegalArgumentException} naming the first bad value. */
    public ViTConfig build() {
      return new ViTConfig(
          imageSize,
          patchSize,
          channels,
          dim,
          depth,
          heads,
          dimHead,
          mlpDim,
          numClasses,
          pool,
          posEmbedding);
    }
  }
}
