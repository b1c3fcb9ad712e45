package dev.vitmae.graph.config;

import dev.vitmae.contract.PatchGrid;

/**
 * A Vision Transformer encoder (and its classification head).
 *
 * <p>Defaults ({@link #reference()}) are the reference design: 28×28×1 images in 7×7 patches, dim
 * 128, depth 1, 8 heads of 64, MLP 128, cls pooling, learned positions, 10 classes; vit-pytorch's
 * patch embedding ({@link PatchEmbedding#NORMED_LINEAR}), no qkv bias, LayerNorm epsilon 1e-5, the
 * class token without a position ({@link ClassToken#UNPOSITIONED}).
 *
 * <p>The published ViTs differ from it in the values the later components name: timm's {@code
 * VisionTransformer} and facebookresearch/mae's encoder use {@link PatchEmbedding#LINEAR}, qkv
 * bias, epsilon 1e-6 and {@link ClassToken#POSITIONED} (MAE with fixed {@link PosEmbedding#SINCOS}
 * positions); I-JEPA the same without a class token; Hugging Face's {@code ViTModel} epsilon 1e-12.
 * {@link #timm} declares timm's.
 *
 * @param patchEmbedding how a patch becomes a token
 * @param qkvBias whether the attention's {@code qkv} projection has a bias
 * @param layerNormEps the epsilon of every LayerNorm of the encoder
 * @param classToken the class token, or null for the default of {@code pool}: {@link
 *     ClassToken#UNPOSITIONED} for {@link Pooling#CLS}, {@link ClassToken#NONE} otherwise (the
 *     reference's rule, and the value of configs written before this component existed)
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
    PosEmbedding posEmbedding,
    @RecordJson.Added("\"NORMED_LINEAR\"") PatchEmbedding patchEmbedding,
    @RecordJson.Added("false") boolean qkvBias,
    @RecordJson.Added("1e-5") double layerNormEps,
    @RecordJson.Added("null") ClassToken classToken) {

  /** vit-pytorch's LayerNorm epsilon (PyTorch's default), the reference's. */
  public static final double VIT_PYTORCH_EPS = 1e-5;

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
    if (patchEmbedding == null) throw new IllegalArgumentException("patchEmbedding must be set");
    if (!(layerNormEps > 0 && layerNormEps < 1)) {
      throw new IllegalArgumentException("layerNormEps must be within (0, 1), got " + layerNormEps);
    }
    if (classToken == null) classToken = defaultClassToken(pool);
    if (pool == Pooling.CLS && classToken == ClassToken.NONE) {
      throw new IllegalArgumentException("pool CLS needs a class token, got classToken NONE");
    }
  }

  /**
   * The reference's components and these: vit-pytorch's patch embedding, no qkv bias, epsilon 1e-5,
   * the class token of {@code pool}'s default (what configs written before the later components
   * read as).
   */
  public ViTConfig(
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
    this(
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
        posEmbedding,
        PatchEmbedding.NORMED_LINEAR,
        false,
        VIT_PYTORCH_EPS,
        null);
  }

  private static ClassToken defaultClassToken(Pooling pool) {
    return pool == Pooling.CLS ? ClassToken.UNPOSITIONED : ClassToken.NONE;
  }

  /**
   * timm's {@code VisionTransformer} of that shape (ViT-Tiny: 224, 16, 192, 12, 3): patch embedding
   * as its Conv2d, qkv bias, epsilon 1e-6, class token with its position row, learned positions,
   * MLP 4 × dim, class-token pooling after the final norm, 3 channels.
   */
  public static ViTConfig timm(int imageSize, int patchSize, int dim, int depth, int heads) {
    if (heads <= 0 || dim % heads != 0) {
      throw new IllegalArgumentException("dim " + dim + " must be divisible by heads " + heads);
    }
    return builder()
        .imageSize(imageSize)
        .patchSize(patchSize)
        .channels(3)
        .dim(dim)
        .depth(depth)
        .heads(heads)
        .dimHead(dim / heads)
        .mlpDim(4 * dim)
        .pool(Pooling.CLS)
        .posEmbedding(PosEmbedding.LEARNED)
        .patchEmbedding(PatchEmbedding.LINEAR)
        .qkvBias(true)
        .layerNormEps(1e-6)
        .classToken(ClassToken.POSITIONED)
        .build();
  }

  /** Whether a class token is prepended to the patch tokens. */
  public boolean hasClassToken() {
    return classToken != ClassToken.NONE;
  }

  /** Tokens the Transformer sees: the patches and the class token if any. */
  public int numTokens() {
    return numPatches() + (hasClassToken() ? 1 : 0);
  }

  /** Rows of the position table: the patches, and the class token's for {@code POSITIONED}. */
  public int numPositions() {
    return numPatches() + (classToken == ClassToken.POSITIONED ? 1 : 0);
  }

  /**
   * Whether attention ends with the {@code out} projection: always, except vit-pytorch's case of a
   * single head as wide as {@code dim} with its patch embedding ({@code project_out = not (heads ==
   * 1 and dim_head == dim)}); the published ViTs always have it.
   */
  public boolean attentionOutProjection() {
    return !(patchEmbedding == PatchEmbedding.NORMED_LINEAR && heads == 1 && dimHead == dim);
  }

  /** The reference design of DEVELOPERS.md. */
  public static ViTConfig reference() {
    return new ViTConfig(28, 7, 1, 128, 1, 8, 64, 128, 10, Pooling.CLS, PosEmbedding.LEARNED);
  }

  /**
   * The {@code small} preset: the reference with 4×4-pixel patches and a wider, deeper encoder (dim
   * 128, depth 4, 4 heads of 32, MLP 256); for 28×28 images a 7×7 grid.
   */
  public static ViTConfig small() {
    return builder().patchSize(4).dim(128).depth(4).heads(4).dimHead(32).mlpDim(256).build();
  }

  /**
   * The {@code photo} preset, for 64×64 RGB photographs: 8×8-pixel patches (an 8×8 grid), encoder
   * dim 192, depth 6, 3 heads of 64, MLP 768 (ViT-Tiny's width at half its depth), and the {@link
   * PatchEmbedding#LINEAR} patch embedding of timm and MAE: vit-pytorch's LayerNorm over a patch's
   * raw values removes the patch's mean, so a flat patch reaches the encoder without its colour.
   */
  public static ViTConfig photo() {
    return builder()
        .patchEmbedding(PatchEmbedding.LINEAR)
        .imageSize(64)
        .channels(3)
        .patchSize(8)
        .dim(192)
        .depth(6)
        .heads(3)
        .dimHead(64)
        .mlpDim(768)
        .build();
  }

  /**
   * This config with pooling {@code p}; a class token that was {@code pool}'s default becomes
   * {@code p}'s.
   */
  public ViTConfig withPool(Pooling p) {
    return toBuilder().pool(p).build();
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
    private PatchEmbedding patchEmbedding;
    private boolean qkvBias;
    private double layerNormEps;
    private ClassToken classToken; // null: pool's default

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
      patchEmbedding = c.patchEmbedding;
      qkvBias = c.qkvBias;
      layerNormEps = c.layerNormEps;
      classToken = c.classToken == defaultClassToken(c.pool) ? null : c.classToken;
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

    public Builder patchEmbedding(PatchEmbedding value) {
      patchEmbedding = value;
      return this;
    }

    public Builder qkvBias(boolean value) {
      qkvBias = value;
      return this;
    }

    public Builder layerNormEps(double value) {
      layerNormEps = value;
      return this;
    }

    /** The class token; null (the default) follows {@code pool}, see {@link ViTConfig}. */
    public Builder classToken(ClassToken value) {
      classToken = value;
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
          posEmbedding,
          patchEmbedding,
          qkvBias,
          layerNormEps,
          classToken);
    }
  }
}
