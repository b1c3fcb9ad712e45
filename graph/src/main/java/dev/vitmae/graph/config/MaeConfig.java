package dev.vitmae.graph.config;

import dev.vitmae.contract.MaeMasking;

/**
 * A Masked Autoencoder around a ViT encoder.
 *
 * <p>Defaults ({@link #reference()}): 25% masking, decoder dim 512, depth 1, 8 heads of 64, MLP 4 ×
 * 512 (vit-pytorch's {@code decoder_dim * 4}), learned decoder positions, loss on raw pixels.
 *
 * <p>facebookresearch/mae's {@code MaskedAutoencoderViT} ({@link #mae}) has the same decoder parts
 * under other names ({@code decoder_embed} is {@code mae/enc_to_dec}, {@code mask_token}, {@code
 * decoder_blocks}, {@code decoder_norm}, {@code decoder_pred} is {@code mae/to_pixels}) and differs
 * in values this record names: fixed sin-cos decoder positions ({@link PosEmbedding#SINCOS}), and
 * the encoder's class token, which an encoder with {@link ClassToken#POSITIONED} carries through
 * the MAE (encoded with the visible patches, projected, and decoded in a position-table row of its
 * own; vit-pytorch's MAE leaves its class token out). The decoder's blocks take the encoder's qkv
 * bias and LayerNorm epsilon, as in both. The patch values are in MAE's {@code patchify} order
 * {@code (p, q, c)}.
 *
 * @param normPixelLoss when true the target of each masked patch is normalized to zero mean and
 *     unit variance (MAE paper's per-patch normalized-pixel loss, {@code norm_pix_loss})
 * @param decoderPosEmbedding the decoder's positions: learned (vit-pytorch) or MAE's fixed sin-cos
 *     table; with the encoder's class token in the MAE the table has a row for it first (zeros in
 *     the sin-cos table)
 */
public record MaeConfig(
    ViTConfig encoder,
    double maskingRatio,
    int decoderDim,
    int decoderDepth,
    int decoderHeads,
    int decoderDimHead,
    int decoderMlpDim,
    boolean normPixelLoss,
    @RecordJson.Added("\"LEARNED\"") PosEmbedding decoderPosEmbedding) {

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
    if (decoderPosEmbedding == null) {
      throw new IllegalArgumentException("decoderPosEmbedding must be set");
    }
    if (decoderPosEmbedding == PosEmbedding.SINCOS && decoderDim % 4 != 0) {
      throw new IllegalArgumentException(
          "SINCOS decoder positions need decoderDim divisible by 4, got " + decoderDim);
    }
  }

  /** The reference's components and these, with learned decoder positions. */
  public MaeConfig(
      ViTConfig encoder,
      double maskingRatio,
      int decoderDim,
      int decoderDepth,
      int decoderHeads,
      int decoderDimHead,
      int decoderMlpDim,
      boolean normPixelLoss) {
    this(
        encoder,
        maskingRatio,
        decoderDim,
        decoderDepth,
        decoderHeads,
        decoderDimHead,
        decoderMlpDim,
        normPixelLoss,
        PosEmbedding.LEARNED);
  }

  public static MaeConfig reference() {
    return new MaeConfig(
        ViTConfig.reference(), MaeMasking.DEFAULT_RATIO, 512, 1, 8, 64, 2048, false);
  }

  /**
   * The {@code small} preset: the {@link ViTConfig#small()} encoder, 75% masking and a decoder of
   * dim 128, depth 2, 4 heads of 32, MLP 256.
   */
  public static MaeConfig small() {
    return builder()
        .encoder(ViTConfig.small())
        .maskingRatio(0.75)
        .decoderDim(128)
        .decoderDepth(2)
        .decoderHeads(4)
        .decoderDimHead(32)
        .decoderMlpDim(256)
        .build();
  }

  /** The names {@link #preset} takes. */
  public static final java.util.List<String> PRESETS =
      java.util.List.of("reference", "small", "photo");

  /**
   * The preset called {@code name} ({@link #PRESETS}, any case): {@link #reference()}, {@link
   * #small()} or {@link #photo()}; a ViT or I-JEPA preset is its {@link #encoder()}.
   *
   * @throws IllegalArgumentException naming the presets when there is none of that name
   */
  public static MaeConfig preset(String name) {
    return switch (name.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "reference" -> reference();
      case "small" -> small();
      case "photo" -> photo();
      default ->
          throw new IllegalArgumentException(
              "no preset '" + name + "': use one of " + String.join(", ", PRESETS));
    };
  }

  /**
   * The {@code photo} preset: the {@link ViTConfig#photo()} encoder, 75% masking and a decoder of
   * dim 128, depth 2, 4 heads of 32, MLP 512.
   */
  public static MaeConfig photo() {
    return builder()
        .encoder(ViTConfig.photo())
        .maskingRatio(0.75)
        .decoderDim(128)
        .decoderDepth(2)
        .decoderHeads(4)
        .decoderDimHead(32)
        .decoderMlpDim(512)
        .build();
  }

  /**
   * facebookresearch/mae's {@code MaskedAutoencoderViT} around {@code encoder} (its {@code
   * mae_vit_base_patch16_dec512d8b}: a {@link ViTConfig#timm} encoder with {@link
   * PosEmbedding#SINCOS} positions, decoder 512, depth 8, 16 heads): 75% masking, the decoder's
   * heads {@code decoderDim / decoderHeads} wide, MLP 4 × {@code decoderDim}, fixed sin-cos decoder
   * positions, loss on raw pixels.
   */
  public static MaeConfig mae(
      ViTConfig encoder, int decoderDim, int decoderDepth, int decoderHeads) {
    if (decoderHeads <= 0 || decoderDim % decoderHeads != 0) {
      throw new IllegalArgumentException(
          "decoderDim " + decoderDim + " must be divisible by decoderHeads " + decoderHeads);
    }
    return new MaeConfig(
        encoder,
        0.75,
        decoderDim,
        decoderDepth,
        decoderHeads,
        decoderDim / decoderHeads,
        4 * decoderDim,
        false,
        PosEmbedding.SINCOS);
  }

  /**
   * Whether the encoder's class token takes part (encoded, decoded): {@link ClassToken#POSITIONED}.
   */
  public boolean hasClassToken() {
    return encoder.classToken() == ClassToken.POSITIONED;
  }

  /** Tokens the decoder sees: the patches, after the class token when {@link #hasClassToken}. */
  public int decoderTokens() {
    return encoder.numPatches() + (hasClassToken() ? 1 : 0);
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
    private PosEmbedding decoderPosEmbedding;

    private Builder(MaeConfig c) {
      super(c.encoder);
      maskingRatio = c.maskingRatio;
      decoderDim = c.decoderDim;
      decoderDepth = c.decoderDepth;
      decoderHeads = c.decoderHeads;
      decoderDimHead = c.decoderDimHead;
      decoderMlpDim = c.decoderMlpDim;
      normPixelLoss = c.normPixelLoss;
      decoderPosEmbedding = c.decoderPosEmbedding;
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

    /** The decoder's positions: learned (the reference) or MAE's fixed sin-cos table. */
    public Builder decoderPosEmbedding(PosEmbedding value) {
      decoderPosEmbedding = value;
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
          normPixelLoss,
          decoderPosEmbedding);
    }
  }
}
