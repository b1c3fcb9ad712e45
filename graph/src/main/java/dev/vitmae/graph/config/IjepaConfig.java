package dev.vitmae.graph.config;

import dev.vitmae.datasets.masks.MultiBlockConfig;

/**
 * I-JEPA around a ViT encoder: a context encoder, its exponential-moving-average copy as the target
 * encoder, and a predictor Transformer that predicts the target encoder's features of masked blocks
 * from the context.
 *
 * <p>Defaults ({@link #reference()}): the reference encoder; a narrow predictor (dim 64, depth 2, 4
 * heads of 32, MLP 256), as ijepa's predictors are narrower than their encoders; ijepa's
 * multi-block masks scaled to the 4×4 grid ({@link MultiBlockConfig#defaultsFor}: 4 target blocks
 * of 15–20% of the grid, one context block of 85–100% minus the targets); EMA momentum 0.996 → 1.0,
 * linear over training.
 *
 * @param masks the mask sampler; its grid must be the encoder's, with one context block and no
 *     overlap (a position is either a context token or a target token in this graph)
 * @param emaStart target-encoder momentum at the first step
 * @param emaEnd momentum at the last step
 * @param predictorPosEmbedding the predictor's positions, or null for the encoder's kind (the
 *     reference's rule, and the value of configs written before this component existed);
 *     facebookresearch/ijepa's {@code VisionTransformerPredictor} has a fixed sin-cos table ({@link
 *     #ijepa})
 */
public record IjepaConfig(
    ViTConfig encoder,
    int predictorDim,
    int predictorDepth,
    int predictorHeads,
    int predictorDimHead,
    int predictorMlpDim,
    MultiBlockConfig masks,
    double emaStart,
    double emaEnd,
    @RecordJson.Added("null") PosEmbedding predictorPosEmbedding) {

  public IjepaConfig {
    if (encoder == null || masks == null) {
      throw new IllegalArgumentException("encoder and masks configs must be set");
    }
    ViTConfig.positive("predictorDim", predictorDim);
    ViTConfig.positive("predictorDepth", predictorDepth);
    ViTConfig.positive("predictorHeads", predictorHeads);
    ViTConfig.positive("predictorDimHead", predictorDimHead);
    ViTConfig.positive("predictorMlpDim", predictorMlpDim);
    if (masks.gridHeight() != encoder.gridSize() || masks.gridWidth() != encoder.gridSize()) {
      throw new IllegalArgumentException(
          "mask grid "
              + masks.gridHeight()
              + "x"
              + masks.gridWidth()
              + " differs from the encoder's "
              + encoder.gridSize()
              + "x"
              + encoder.gridSize()
              + " patch grid");
    }
    if (masks.nEnc() != 1) {
      throw new IllegalArgumentException(
          "one context block per sample is supported (nEnc = 1), got " + masks.nEnc());
    }
    if (masks.allowOverlap()) {
      throw new IllegalArgumentException(
          "masks.allowOverlap is not supported: each position is"
              + " either a context token or a target token");
    }
    if (!(0 <= emaStart && emaStart <= emaEnd && emaEnd <= 1)) {
      throw new IllegalArgumentException(
          "EMA momentum must satisfy 0 <= emaStart <= emaEnd <= 1, got "
              + emaStart
              + " -> "
              + emaEnd);
    }
    if (encoder.withPool(Pooling.MEAN).hasClassToken()) {
      throw new IllegalArgumentException(
          "I-JEPA's encoders have no class token (its context and target encoders would differ):"
              + " classToken "
              + encoder.classToken()
              + " must be NONE, or vit-pytorch's default of pool CLS");
    }
    if (predictorPosEmbedding == null) predictorPosEmbedding = encoder.posEmbedding();
    if (predictorPosEmbedding == PosEmbedding.SINCOS && predictorDim % 4 != 0) {
      throw new IllegalArgumentException(
          "SINCOS predictor positions need predictorDim divisible by 4, got " + predictorDim);
    }
  }

  /** The reference's components and these; the predictor's positions of the encoder's kind. */
  public IjepaConfig(
      ViTConfig encoder,
      int predictorDim,
      int predictorDepth,
      int predictorHeads,
      int predictorDimHead,
      int predictorMlpDim,
      MultiBlockConfig masks,
      double emaStart,
      double emaEnd) {
    this(
        encoder,
        predictorDim,
        predictorDepth,
        predictorHeads,
        predictorDimHead,
        predictorMlpDim,
        masks,
        emaStart,
        emaEnd,
        null);
  }

  public static IjepaConfig reference() {
    return of(ViTConfig.reference());
  }

  /** The reference predictor, masks and EMA around {@code encoder}. */
  public static IjepaConfig of(ViTConfig encoder) {
    return new IjepaConfig(
        encoder,
        64,
        2,
        4,
        32,
        256,
        MultiBlockConfig.defaultsFor(encoder.gridSize(), encoder.gridSize()),
        0.996,
        1.0);
  }

  /**
   * facebookresearch/ijepa around {@code encoder} (its {@code vit_*} encoders: {@link
   * ViTConfig#timm} values without a class token, {@link PosEmbedding#SINCOS} positions): the
   * {@code VisionTransformerPredictor} of {@code vit_predictor} — heads {@code predictorDim /
   * predictorHeads} wide, MLP 4 × {@code predictorDim}, qkv bias and LayerNorm epsilon as the
   * encoder's, a fixed sin-cos position table — with the reference's masks and EMA.
   */
  public static IjepaConfig ijepa(
      ViTConfig encoder, int predictorDim, int predictorDepth, int predictorHeads) {
    if (predictorHeads <= 0 || predictorDim % predictorHeads != 0) {
      throw new IllegalArgumentException(
          "predictorDim "
              + predictorDim
              + " must be divisible by predictorHeads "
              + predictorHeads);
    }
    IjepaConfig r = of(encoder);
    return new IjepaConfig(
        encoder,
        predictorDim,
        predictorDepth,
        predictorHeads,
        predictorDim / predictorHeads,
        4 * predictorDim,
        r.masks,
        r.emaStart,
        r.emaEnd,
        PosEmbedding.SINCOS);
  }

  /**
   * Target-encoder momentum after optimizer step {@code step} (1-based) of {@code totalSteps}:
   * linear from {@code emaStart} at the first step to {@code emaEnd} at the last (ijepa's
   * schedule); {@code emaStart} when the total is unknown (0).
   */
  public double momentumAt(long step, long totalSteps) {
    if (totalSteps <= 1) return emaStart;
    double t = Math.min(1.0, Math.max(0, step - 1) / (double) (totalSteps - 1));
    return emaStart + t * (emaEnd - emaStart);
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
   * Names every value of a {@link IjepaConfig}; {@link #build()} validates (the compact
   * constructor).
   */
  public static final class Builder extends EncoderBuilder<Builder> {
    private int predictorDim;
    private int predictorDepth;
    private int predictorHeads;
    private int predictorDimHead;
    private int predictorMlpDim;
    private MultiBlockConfig masks;
    private double emaStart;
    private double emaEnd;
    private boolean masksSet;
    private PosEmbedding predictorPosEmbedding; // null: the encoder's kind

    private Builder(IjepaConfig c) {
      super(c.encoder);
      predictorDim = c.predictorDim;
      predictorDepth = c.predictorDepth;
      predictorHeads = c.predictorHeads;
      predictorDimHead = c.predictorDimHead;
      predictorMlpDim = c.predictorMlpDim;
      masks = c.masks;
      emaStart = c.emaStart;
      emaEnd = c.emaEnd;
      predictorPosEmbedding =
          c.predictorPosEmbedding == c.encoder.posEmbedding() ? null : c.predictorPosEmbedding;
    }

    /** The predictor's positions; null (the default) follows the encoder's kind. */
    public Builder predictorPosEmbedding(PosEmbedding value) {
      predictorPosEmbedding = value;
      return this;
    }

    public Builder predictorDim(int value) {
      predictorDim = value;
      return this;
    }

    public Builder predictorDepth(int value) {
      predictorDepth = value;
      return this;
    }

    public Builder predictorHeads(int value) {
      predictorHeads = value;
      return this;
    }

    public Builder predictorDimHead(int value) {
      predictorDimHead = value;
      return this;
    }

    public Builder predictorMlpDim(int value) {
      predictorMlpDim = value;
      return this;
    }

    /** The mask sampler; unset, it is {@link MultiBlockConfig#defaultsFor} the encoder's grid. */
    public Builder masks(MultiBlockConfig value) {
      masks = value;
      masksSet = true;
      return this;
    }

    /** Target blocks per image ({@code masks.nPred}). */
    public Builder targetBlocks(int value) {
      masks = masks.withNPred(value);
      return this;
    }

    private IjepaConfig build0() {
      ViTConfig e = builtEncoder();
      MultiBlockConfig m =
          masksSet || masks.gridHeight() == e.gridSize()
              ? masks
              : MultiBlockConfig.defaultsFor(e.gridSize(), e.gridSize()).withNPred(masks.nPred());
      return new IjepaConfig(
          e,
          predictorDim,
          predictorDepth,
          predictorHeads,
          predictorDimHead,
          predictorMlpDim,
          m,
          emaStart,
          emaEnd,
          predictorPosEmbedding);
    }

    public Builder emaStart(double value) {
      emaStart = value;
      return this;
    }

    public Builder emaEnd(double value) {
      emaEnd = value;
      return this;
    }

    @Override
    Builder self() {
      return this;
    }

    /** The config; throws {@link IllegalArgumentException} naming the first bad value. */
    public IjepaConfig build() {
      return build0();
    }
  }
}
