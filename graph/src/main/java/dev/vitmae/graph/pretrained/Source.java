package dev.vitmae.graph.pretrained;

import java.util.Locale;

/** The published naming schemes whose ViT encoders map onto vitmae's ({@link WeightMapping}). */
public enum Source {
  /**
   * timm's {@code VisionTransformer} ({@code patch_embed.proj}, {@code blocks.N.attn.qkv}, {@code
   * norm} or {@code fc_norm}, {@code head}), also MAE's fine-tuned {@code models_vit}; nested under
   * {@code model}, {@code state_dict} or {@code model_ema} and {@code module.} are undone.
   */
  TIMM(1e-6),
  /**
   * facebookresearch/mae's {@code MaskedAutoencoderViT} (its checkpoints' {@code model}): the
   * encoder's tensors; the decoder's ({@code decoder_*}, {@code mask_token}) are not the encoder's.
   */
  MAE(1e-6),
  /**
   * facebookresearch/ijepa's checkpoints: {@code target_encoder} (what ijepa evaluates) or {@code
   * encoder}, with DistributedDataParallel's {@code module.}; no class token, fixed sin-cos
   * positions.
   */
  IJEPA(1e-6),
  /**
   * Hugging Face transformers' {@code ViTModel}, {@code ViTForImageClassification} ({@code vit.},
   * {@code classifier}) and {@code ViTMAEModel} / {@code ViTMAEForPreTraining}: separate {@code
   * query}/{@code key}/{@code value}, {@code embeddings.patch_embeddings.projection}; a {@code
   * config.json} beside the weights gives the heads and epsilon.
   */
  HF(1e-12);

  private final double layerNormEps;

  Source(double layerNormEps) {
    this.layerNormEps = layerNormEps;
  }

  /**
   * The LayerNorm epsilon of the scheme's published models (timm, MAE and I-JEPA build theirs with
   * {@code partial(nn.LayerNorm, eps=1e-6)}, Hugging Face's {@code layer_norm_eps} is 1e-12):
   * weights do not record it.
   */
  public double layerNormEps() {
    return layerNormEps;
  }

  /** {@code timm}, {@code mae}, {@code ijepa} or {@code hf}, in any case. */
  public static Source parse(String name) {
    for (Source s : values()) {
      if (s.name().equalsIgnoreCase(name.trim())) return s;
    }
    throw new IllegalArgumentException("unknown source '" + name + "': use timm, mae, ijepa or hf");
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
