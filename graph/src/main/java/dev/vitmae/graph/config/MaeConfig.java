package dev.vitmae.graph.config;

import dev.vitmae.contract.MaeMasking;

/**
 * A Masked Autoencoder around a ViT encoder.
 *
 * <p>Defaults ({@link #reference()}): 25% masking, decoder dim 512, depth 1, 8 heads of 64, MLP 4 ×
 * 512 (vit-pytorch's {@code decoder_dim * 4}), loss on raw pixels.
 *
 * @param normPixelLoss when true the target of each masked patch is normalized to zero mean and
 *     unit variance (MAE paper's per-patch normalized-pixel loss)
 */
public record MaeConfig(
    ViTConfig encoder,
    double maskingRatio,
    int decoderDim,
    int decoderDepth,
    int decoderHeads,
    int decoderDimHead,
    int decoderMlpDim,
    boolean normPixelLoss) {

  public MaeConfig {
    if (encoder == null) throw new IllegalArgumentException("encoder config must be set");
    if (!(maskingRatio > 0 && maskingRatio < 1)) {
      throw new IllegalArgumentException("maskingRatio must be within (0, 1), got " + maskingRatio);
    }
    int masked = MaeMasking.numMasked(encoder.numPatches(), maskingRatio);
    if (masked < 1 || masked >= encoder.numPatches()) {
      throw new IllegalArgumentException(
          "maskingRatio "
              + maskingRatio
              + " masks "
              + masked
              + " of "
              + encoder.numPatches()
              + " patches: at least one must be masked and one visible");
    }
    ViTConfig.positive("decoderDim", decoderDim);
    ViTConfig.positive("decoderDepth", decoderDepth);
    ViTConfig.positive("decoderHeads", decoderHeads);
    ViTConfig.positive("decoderDimHead", decoderDimHead);
    ViTConfig.positive("decoderMlpDim", decoderMlpDim);
  }

  public static MaeConfig reference() {
    return new MaeConfig(
        ViTConfig.reference(), MaeMasking.DEFAULT_RATIO, 512, 1, 8, 64, 2048, false);
  }

  /**
   * Masked patches per sample: {@code int(ratio × n)}, as vit-pytorch's MAE ({@link MaeMasking}).
   */
  public int numMasked() {
    return MaeMasking.numMasked(encoder.numPatches(), maskingRatio);
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
   * Names every value of a {@link MaeConfig}; {@link #build()} validates (the compact constructor).
   */
  public static final class Builder extends EncoderBuilder<Builder> {
    private double maskingRatio;
    private int decoderDim;
    private int decoderDepth;
    private int decoderHeads;
    private int decoderDimHead;
    private int decoderMlpDim;
    private boolean normPixelLoss;

    private Builder(MaeConfig c) {
      super(c.encoder);
      maskingRatio = c.maskingRatio;
      decoderDim = c.decoderDim;
      decoderDepth = c.decoderDepth;
      decoderHeads = c.decoderHeads;
      decoderDimHead = c.decoderDimHead;
      decoderMlpDim = c.decoderMlpDim;
      normPixelLoss = c.normPixelLoss;
    }

    public Builder maskingRatio(double value) {
      maskingRatio = value;
      return this;
    }

    public Builder decoderDim(int value) {
      decoderDim = value;
      return this;
    }

    public Builder decoderDepth(int value) {
      decoderDepth = value;
      return this;
    }

    public Builder decoderHeads(int value) {
      decoderHeads = value;
      return this;
    }

    public Builder decoderDimHead(int value) {
      decoderDimHead = value;
      return this;
    }

    public Builder decoderMlpDim(int value) {
      decoderMlpDim = value;
      return this;
    }

    public Builder normPixelLoss(boolean value) {
      normPixelLoss = value;
      return this;
    }

    @Override
    Builder self() {
      return this;
    }

    /** The config; throws {@link IllegalArgumentException} naming the first bad value. */
    public MaeConfig build() {
      return new MaeConfig(
          builtEncoder(),
          maskingRatio,
          decoderDim,
          decoderDepth,
          decoderHeads,
          decoderDimHead,
          decoderMlpDim,
          normPixelLoss);
    }
  }
}
