package dev.vitmae.upstream;

import dev.vitmae.weights.StateDict;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/**
 * Small random-initialised models built and run by the upstream code itself, which {@code
 * tests/src/test/python/make_upstream_fixtures.py} wrote into {@code
 * tests/src/test/resources/upstream/} with Debian's PyTorch 1.13 (the repositories, commits and the
 * exact command are in that script's header and in the folder's {@code README.md}).
 *
 * <p>Each fixture has three files: {@link #pth()} (torch.save's zip format, laid out as the
 * upstream trainer saves it), {@link #safetensors()} (the same tensors) and {@link #expected()}
 * (inputs, masks and the upstream outputs, float32 or int64, and the model's configuration as the
 * file's metadata). All take 32×32 RGB images, batch 2, {@code images} {@code [2, 3, 32, 32]} in
 * [0, 1); encoders are dim 32, depth 2, 4 heads, MLP ratio 4, qkv bias; LayerNorm epsilon 1e-6
 * (1e-12 for Hugging Face).
 */
public enum UpstreamFixture {
  /**
   * timm {@code VisionTransformer(img_size=32, patch_size=8, embed_dim=32, depth=2, num_heads=4,
   * num_classes=10)}: class token, learned positions with a class slot, {@code
   * global_pool='token'}. Weights: timm names, flat ({@code cls_token, pos_embed,
   * patch_embed.proj.*, blocks.N.*, norm.*, head.*}). Expected: {@code images}, {@code tokens}
   * {@code [2, 17, 32]} = {@code forward_features} (after the final norm), {@code pooled} {@code
   * [2, 32]} = the class token, {@code logits} {@code [2, 10]}.
   */
  TIMM_VIT_TOKEN("timm_vit_token"),
  /**
   * timm {@code VisionTransformer(..., num_classes=0, global_pool='avg')}: the final {@code norm}
   * is the identity and {@code fc_norm} normalises the mean of the patch tokens. Expected: {@code
   * tokens} {@code [2, 17, 32]} (no final norm), {@code pooled} {@code [2, 32]} = {@code
   * fc_norm(mean(tokens[:, 1:]))}.
   */
  TIMM_VIT_AVG("timm_vit_avg"),
  /**
   * timm's registered {@code vit_base_patch16_224.mae} (the model timm loads MAE's encoder weights
   * into), created at the small size: the default VisionTransformer without a head. Expected as
   * {@link #TIMM_VIT_TOKEN} without {@code logits}.
   */
  TIMM_VIT_MAE("timm_vit_mae"),
  /**
   * timm's registered {@code vit_huge_patch14_gap_224.in1k_ijepa} at the small size: no class
   * token, positions for the patches only, average pool without {@code fc_norm}. Expected: {@code
   * tokens} {@code [2, 16, 32]} (after the final norm), {@code pooled} {@code [2, 32]} = their
   * mean.
   */
  TIMM_VIT_GAP_IJEPA("timm_vit_gap_ijepa"),
  /**
   * facebookresearch/mae {@code MaskedAutoencoderViT(img_size=32, patch_size=8, embed_dim=32,
   * depth=2, num_heads=4, decoder_embed_dim=16, decoder_depth=2, decoder_num_heads=2, mlp_ratio=4,
   * norm_layer=LayerNorm(eps=1e-6))}, 16 patches, mask ratio 0.75 (4 kept). {@code .pth}: {@code
   * {"model": state_dict}} as the published checkpoints; {@code .safetensors}: the state dict flat.
   * Expected: {@code noise} {@code [2, 16]} (the masking noise the forward drew), {@code
   * ids_shuffle}, {@code ids_restore} {@code [2, 16]} and {@code ids_keep} {@code [2, 4]} (int64),
   * {@code mask} {@code [2, 16]} (1 = removed), {@code latent} {@code [2, 5, 32]} = {@code
   * forward_encoder} (class token then the kept patches in {@code ids_keep} order, after the final
   * norm), {@code pred} {@code [2, 16, 192]} = {@code forward_decoder}, {@code target} {@code [2,
   * 16, 192]} = {@code patchify(images)} (order (p, q, c)), {@code loss} and {@code loss_norm_pix}
   * (scalars, {@code norm_pix_loss} false and true), {@code tokens} {@code [2, 17, 32]} = the whole
   * image through the encoder in patch order.
   */
  MAE("mae"),
  /**
   * facebookresearch/ijepa {@code VisionTransformer(img_size=[32], patch_size=4, embed_dim=32,
   * depth=2, num_heads=4)} (context encoder and an independently initialised target encoder) and
   * {@code VisionTransformerPredictor(num_patches=64, embed_dim=32, predictor_embed_dim=16,
   * depth=2, num_heads=2)}; 64 patches; masks from ijepa's own {@code MaskCollator} (1 context
   * block, 4 target blocks). {@code .pth}: {@code {"encoder": {"module." + name}, "predictor": ...,
   * "target_encoder": ..., "epoch", "loss", "batch_size", "world_size", "lr"}} as ijepa's train.py
   * saves it; {@code .safetensors}: {@code encoder.*}, {@code predictor.*}, {@code
   * target_encoder.*} without {@code module.}. Expected: {@code masks_enc.0} {@code [2, 24]} and
   * {@code masks_pred.0..3} {@code [2, 12]} (int64 patch indices), {@code tokens} {@code [2, 64,
   * 32]} = {@code encoder(images)}, {@code context} {@code [2, 24, 32]} = {@code encoder(images,
   * masks_enc)}, {@code predictions} {@code [8, 12, 32]} = {@code predictor(context, masks_enc,
   * masks_pred)} (target block major, then batch), {@code targets} {@code [8, 12, 32]} (the
   * layer-normalised target encoder output at the target blocks), {@code loss} (smooth L1).
   */
  IJEPA("ijepa"),
  /**
   * Hugging Face transformers 4.27.1 {@code ViTModel(add_pooling_layer=True)}, {@code
   * hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=128,
   * patch_size=8, layer_norm_eps=1e-12}. Weights: HF names ({@code embeddings.*}, {@code
   * encoder.layer.N.attention.attention.query/key/value.*}, ..., {@code layernorm.*}, {@code
   * pooler.dense.*}). Expected: {@code tokens} {@code [2, 17, 32]} = {@code last_hidden_state},
   * {@code pooled} {@code [2, 32]} = {@code pooler_output} (tanh of a dense layer on the class
   * token).
   */
  HF_VIT("hf_vit"),
  /**
   * Hugging Face transformers 4.27.1 {@code ViTMAEForPreTraining} (encoder as {@link #HF_VIT}
   * without the pooler, under {@code vit.}; {@code decoder.decoder_embed, decoder.mask_token,
   * decoder.decoder_pos_embed, decoder.decoder_layers.N.*, decoder.decoder_norm,
   * decoder.decoder_pred} with {@code decoder_hidden_size=16}, 2 layers, 2 heads, intermediate 64),
   * mask ratio 0.75. Expected as {@link #MAE} without {@code target} and {@code tokens}: {@code
   * noise}, {@code ids_shuffle}, {@code ids_restore}, {@code ids_keep}, {@code mask}, {@code
   * latent}, {@code pred} = {@code logits}, {@code loss}, {@code loss_norm_pix}.
   */
  HF_VIT_MAE("hf_vit_mae");

  private final String file;

  UpstreamFixture(String file) {
    this.file = file;
  }

  /** The base name of the files, e.g. {@code mae}. */
  public String fileName() {
    return file;
  }

  /** The checkpoint torch.save wrote. */
  public Path pth() {
    return resource(file + ".pth");
  }

  /** The same tensors as a safetensors file. */
  public Path safetensors() {
    return resource(file + ".safetensors");
  }

  /** Reads {@link #pth()} through vitmae's restricted reader. */
  public StateDict readPth() throws IOException {
    return StateDict.read(pth());
  }

  /** Reads {@link #safetensors()}. */
  public StateDict readSafetensors() throws IOException {
    return StateDict.read(safetensors());
  }

  /** The inputs, masks and upstream outputs, read once per call. */
  public UpstreamOutputs expected() throws IOException {
    return UpstreamOutputs.read(resource(file + ".expected.safetensors"));
  }

  static Path resource(String name) {
    URL url = UpstreamFixture.class.getResource("/upstream/" + name);
    if (url == null) {
      throw new IllegalArgumentException(
          "no upstream fixture "
              + name
              + " on the test classpath (tests/src/test/resources/upstream)");
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
