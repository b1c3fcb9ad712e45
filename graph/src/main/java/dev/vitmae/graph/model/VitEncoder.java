package dev.vitmae.graph.model;

import dev.vitmae.contract.TensorNames;
import dev.vitmae.graph.config.ClassToken;
import dev.vitmae.graph.config.PatchEmbedding;
import dev.vitmae.graph.config.Pooling;
import dev.vitmae.graph.config.ViTConfig;
import dev.vitmae.graph.nn.Attention;
import dev.vitmae.graph.nn.Layers;
import dev.vitmae.graph.nn.Net;
import dev.vitmae.graph.nn.Patchify;
import dev.vitmae.graph.nn.Positions;
import dev.vitmae.graph.nn.Transformer;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The ViT encoder shared by the classifier, the MAE and I-JEPA. Parameters live under {@code
 * encoder/}, so an MAE can start from a trained classifier's encoder by name.
 */
public final class VitEncoder {
  private VitEncoder() {}

  /** Patch pixels {@code [B, n, p²·C]} of {@code images [B, C, H, W]}. */
  public static SDVariable patches(SameDiff sd, SDVariable images, ViTConfig c) {
    return Patchify.patches(sd, images, c.channels(), c.gridSize(), c.patchSize());
  }

  /** Images {@code [B, C, H, W]} of patch pixels {@code [B, n, p²·C]}. */
  public static SDVariable unpatchify(SameDiff sd, SDVariable patches, ViTConfig c) {
    return Patchify.images(sd, patches, c.channels(), c.gridSize(), c.patchSize());
  }

  /** The position table's name: {@code [n, dim]}, or {@code [1 + n, dim]} with a class row. */
  public static final String POSITIONS = "encoder/pos";

  /** The learned class token's name, {@code [1, 1, dim]} (encoders with a class token only). */
  public static final String CLASS_TOKEN = "encoder/cls";

  /** The encoder Transformer's name: its blocks are {@code encoder/transformer/block<i>/...}. */
  public static final String TRANSFORMER = "encoder/transformer";

  /**
   * Patch embedding plus positions, {@code [B, n, p²·C] -> [B, n, dim]}: LayerNorm(p²·C) →
   * Linear(p²·C, dim) → LayerNorm(dim) (vit-pytorch), or one Linear (timm's Conv2d), then + the
   * patches' rows of the position table (rows 1..n when row 0 is the class token's).
   */
  public static SDVariable embed(Net net, ViTConfig c, SDVariable patches) {
    int n = c.numPatches();
    double eps = c.layerNormEps();
    SDVariable x = patches;
    if (c.patchEmbedding() == PatchEmbedding.NORMED_LINEAR) {
      x = Layers.layerNorm(net, "encoder/patch_embed/ln_in", x, c.patchDim(), eps);
    }
    x = Layers.linear(net, "encoder/patch_embed/proj", x, n, c.patchDim(), c.dim(), true);
    if (c.patchEmbedding() == PatchEmbedding.NORMED_LINEAR) {
      x = Layers.layerNorm(net, "encoder/patch_embed/ln_out", x, c.dim(), eps);
    }
    boolean classRow = c.classToken() == ClassToken.POSITIONED;
    SDVariable table =
        Positions.build(net, POSITIONS, c.posEmbedding(), c.gridSize(), c.dim(), classRow);
    return x.add(classRow ? net.sd().slice(table, new int[] {1, 0}, n, c.dim()) : table);
  }

  /**
   * {@code [B, k, dim] -> [B, 1 + k, dim]}: the learned class token {@code encoder/cls} (plus its
   * position row for {@link ClassToken#POSITIONED}, timm's order: cat, then + pos) before the
   * tokens {@code x}, which already have their positions ({@link #embed}).
   */
  public static SDVariable withClassToken(Net net, ViTConfig c, SDVariable x) {
    SameDiff sd = net.sd();
    SDVariable cls = net.normal(CLASS_TOKEN, 1, 1, c.dim());
    if (c.classToken() == ClassToken.POSITIONED) {
      SDVariable row = sd.slice(sd.getVariable(POSITIONS), new int[] {0, 0}, 1, c.dim());
      cls = cls.add(sd.reshape(row, 1, 1, c.dim()));
    }
    // [B, 1, dim] zeros give it the batch dimension.
    SDVariable batchCls = sd.zerosLike(sd.mean(x, true, 1)).add(cls);
    return sd.concat(1, batchCls, x);
  }

  /** The encoder's Transformer blocks as {@code c} declares them. */
  public static Transformer.Spec spec(ViTConfig c) {
    return new Transformer.Spec(
        c.dim(),
        c.depth(),
        c.heads(),
        c.dimHead(),
        c.mlpDim(),
        c.qkvBias(),
        c.layerNormEps(),
        c.attentionOutProjection(),
        c.pool() != Pooling.MEAN_FC_NORM);
  }

  /** The encoder Transformer over {@code tokens} sequence positions. */
  public static SDVariable transformer(
      Net net, ViTConfig c, SDVariable x, SDVariable keyBias, int tokens) {
    return transformer(net, c, x, keyBias, tokens, null);
  }

  /**
   * The encoder Transformer with stochastic depth: {@code dropPath [B, 2·depth]} scales its
   * residual branches ({@link Transformer#build(Net, String, SDVariable, SDVariable, int,
   * Transformer.Spec, SDVariable)}); null for none.
   */
  public static SDVariable transformer(
      Net net, ViTConfig c, SDVariable x, SDVariable keyBias, int tokens, SDVariable dropPath) {
    return Transformer.build(net, TRANSFORMER, x, keyBias, tokens, spec(c), dropPath);
  }

  /**
   * The last block's attention to each patch, {@code [B, n]}, averaged over the heads: the class
   * token's row over the patches (its attention to itself left out, so a row sums to less than 1)
   * when {@code c} has a class token, else the mean over all query tokens (a row sums to 1). Read
   * from the probabilities {@link #transformer} built in {@code sd} ({@link
   * Attention#probabilities}).
   */
  public static SDVariable attention(SameDiff sd, ViTConfig c) {
    int n = c.numPatches();
    String last = Transformer.attention(TRANSFORMER, c.depth() - 1);
    // [B, h, T, T] -> [B, T, T], T = n or 1 + n.
    SDVariable heads = sd.mean(sd.getVariable(Attention.probabilities(last)), 1);
    if (!c.hasClassToken()) return sd.mean(heads, 1);
    return sd.reshape(sd.slice(heads, new int[] {0, 0, 1}, -1, 1, n), -1, n);
  }

  /**
   * Images to encoded patch tokens {@code [B, n, dim]} and the pooled embedding {@code [B, dim]}
   * (cls token output, or the mean of the patch tokens, then {@code fc_norm} for {@link
   * Pooling#MEAN_FC_NORM}), with all patches visible.
   */
  public static Encoded encode(Net net, ViTConfig c, SDVariable images) {
    return encode(net, c, images, null);
  }

  /**
   * {@link #encode(Net, ViTConfig, SDVariable)} with the Transformer's residual branches scaled by
   * {@code dropPath [B, 2·depth]} (stochastic depth, {@link dev.vitmae.graph.nn.DropPath}); null
   * for none.
   */
  public static Encoded encode(Net net, ViTConfig c, SDVariable images, SDVariable dropPath) {
    SameDiff sd = net.sd();
    int n = c.numPatches();
    SDVariable x = embed(net, c, patches(sd, images, c));
    SDVariable tokens;
    SDVariable clsOut = null;
    if (!c.hasClassToken()) {
      tokens = transformer(net, c, x, null, n, dropPath);
    } else {
      SDVariable all = transformer(net, c, withClassToken(net, c, x), null, n + 1, dropPath);
      // Position 0 is the cls token, positions 1..n the patches; -1 keeps the whole batch.
      clsOut = sd.reshape(sd.slice(all, new int[] {0, 0, 0}, -1, 1, c.dim()), -1, c.dim());
      tokens = sd.slice(all, new int[] {0, 1, 0}, -1, n, c.dim());
    }
    SDVariable pooled =
        switch (c.pool()) {
          case CLS -> clsOut;
          case MEAN -> sd.mean(tokens, 1);
          case MEAN_FC_NORM ->
              Layers.layerNormRows(
                  net, "encoder/fc_norm", sd.mean(tokens, 1), c.dim(), c.layerNormEps());
        };
    return new Encoded(tokens, pooled);
  }

  /**
   * What {@link #attention} holds, in words, for an encoder with or without a class token: the
   * value of the {@code attention} output's metadata.
   */
  public static String attentionDescription(boolean classToken) {
    return "float32 [batch, num_patches]: the last encoder block's attention to each patch,"
        + " averaged over the heads; "
        + (classToken
            ? "the class token's row (its attention to itself left out)"
            : "the mean over all query tokens (each row sums to 1)");
  }

  /**
   * The inference encoder: input {@code images [B, C, H, W]}, outputs {@code tokens [B, n, dim]}
   * and {@code embedding [B, dim]}, and {@code attention [B, n]} ({@link #attention}; exported only
   * on request); parameters named as in every vitmae model, so a trained classifier's or MAE's
   * weights load by name.
   */
  public static SameDiff build(ViTConfig c, DataType dtype, long seed) {
    Net net = new Net(SameDiff.create(), dtype, seed);
    SDVariable images =
        net.input(TensorNames.IMAGES, -1, c.channels(), c.imageSize(), c.imageSize());
    Encoded enc = encode(net, c, images);
    net.sd().identity(TensorNames.TOKENS, enc.tokens());
    net.sd().identity(TensorNames.EMBEDDING, enc.embedding());
    net.sd().identity(TensorNames.ATTENTION, attention(net.sd(), c));
    return net.sd();
  }

  /**
   * Encoder outputs: per-token {@code [B, n, dim]} and the pooled {@code embedding} {@code [B,
   * dim]}.
   */
  public record Encoded(SDVariable tokens, SDVariable embedding) {}
}
