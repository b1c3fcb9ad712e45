package dev.vitmae.graph.model;

import dev.vitmae.graph.config.MaeConfig;
import dev.vitmae.graph.config.PatchEmbedding;
import dev.vitmae.graph.config.ViTConfig;
import dev.vitmae.graph.nn.Attention;
import dev.vitmae.graph.nn.Layers;
import dev.vitmae.graph.nn.Net;
import dev.vitmae.graph.nn.Positions;
import dev.vitmae.graph.nn.Transformer;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The Masked Autoencoder, vit-pytorch's {@code MAE} and facebookresearch/mae's {@code
 * MaskedAutoencoderViT} (the values that tell them apart are {@link MaeConfig}'s), in two forms
 * with the same parameters and the same maths.
 *
 * <p>{@link #buildVisibleOnly} is the training graph, as vit-pytorch's and facebookresearch/mae's
 * {@code forward}: the visible tokens, with their positions, are gathered per sample by the {@code
 * visible_index [B, n_visible]} input, the encoder runs on them alone, and {@code enc_to_dec}'s
 * outputs are scattered back into the full sequence, mask tokens at the masked positions, for the
 * decoder. Every sample shows the same number of patches (as {@code MaeMasking} draws them).
 *
 * <p>{@link #build} serves any mask ({@code mask [B, n]}, 1 = masked, any count per sample): the
 * encoder runs on every token and masked tokens are hidden as attention keys, which gives the
 * visible tokens exactly the outputs of an encoder over the visible tokens alone; the masked
 * positions' encoder outputs are then discarded. It is what {@code mae.onnx} computes.
 */
public final class Mae {
  /**
   * The encoder's output: {@code [B, n_visible, dim]} in the training graph, {@code [B, n, dim]}
   * (rows of masked patches computed but unused) in the key-masking graph; with the class token
   * ({@link MaeConfig#hasClassToken}) its row comes first ({@code [B, 1 + n_visible, dim]}, {@code
   * [B, 1 + n, dim]}), as facebookresearch/mae's {@code forward_encoder} returns it.
   */
  public static final String ENCODED = "mae/encoded";

  /** The decoder's position table: {@code [n, dd]}, or {@code [1 + n, dd]} with a class row. */
  public static final String DECODER_POSITIONS = "mae/decoder_pos";

  private Mae() {}

  /**
   * The key-masking MAE, for any mask. Inputs {@code images [B, C, H, W]}, {@code mask [B, n]};
   * outputs {@code loss} (MSE over the masked patches), {@code predicted_patches [B, n, p²·C]} and
   * {@code reconstruction [B, C, H, W]} (predictions at masked patches, input pixels elsewhere).
   */
  public static SameDiff build(MaeConfig m, DataType dtype, long seed) {
    ViTConfig c = m.encoder();
    Net net = new Net(SameDiff.create(), dtype, seed);
    SameDiff sd = net.sd();
    int n = c.numPatches();
    int t = m.decoderTokens();
    int dd = m.decoderDim();
    SDVariable images = net.input(Names.IMAGES, -1, c.channels(), c.imageSize(), c.imageSize());
    SDVariable mask = net.input(Names.MASK, -1, n);

    // Patches → embedded tokens with encoder positions, after the class token if it takes part;
    // the class token is never hidden.
    SDVariable patches = VitEncoder.patches(sd, images, c);
    SDVariable tokens = VitEncoder.embed(net, c, patches);
    SDVariable hidden = mask;
    if (m.hasClassToken()) {
      tokens = VitEncoder.withClassToken(net, c, tokens);
      hidden = sd.concat(1, sd.zerosLike(sd.sum(mask, true, 1)), mask);
    }
    // Encode, each visible token attending to visible tokens only.
    SDVariable encoded =
        sd.identity(
            ENCODED, VitEncoder.transformer(net, c, tokens, Attention.keyBias(net, hidden, t), t));
    // Project to the decoder; the masked rows are zeroed as an outer product [B·t, 1]·[1, dd] (a
    // broadcasting multiply has a ~20× slower gradient in ND4J).
    SDVariable dec =
        Layers.linearRows(
            net, "mae/enc_to_dec", sd.reshape(encoded, -1, c.dim()), c.dim(), dd, true);
    SDVariable visibleRows = sd.reshape(hidden, -1, 1).rsub(1.0);
    SDVariable keep = sd.mmul(visibleRows, net.constant("mae/ones", ones(dd), 1, dd));
    decodeAndScore(net, m, patches, dec.mul(keep), mask, hidden);
    return sd;
  }

  /**
   * The training MAE: the encoder runs on the visible tokens only. Inputs {@code images [B, C, H,
   * W]} and {@code visible_index [B, n_visible]} (int32, {@code n_visible = n − int(ratio·n)},
   * distinct patch indices per sample, in any order: facebookresearch/mae's {@code ids_keep});
   * outputs as {@link #build}'s, for the mask that hides every patch not listed. {@link #ENCODED}
   * is {@code [B, n_visible, dim]} in {@code visible_index} order (after the class token's row).
   */
  public static SameDiff buildVisibleOnly(MaeConfig m, DataType dtype, long seed) {
    ViTConfig c = m.encoder();
    Net net = new Net(SameDiff.create(), dtype, seed);
    SameDiff sd = net.sd();
    int n = c.numPatches();
    int visibleCount = n - m.numMasked();
    int cls = m.hasClassToken() ? 1 : 0;
    int dd = m.decoderDim();
    SDVariable images = net.input(Names.IMAGES, -1, c.channels(), c.imageSize(), c.imageSize());
    SDVariable visible = sd.placeHolder(Names.VISIBLE_INDEX, DataType.INT, -1, visibleCount);

    // Per-sample selection [B, n_visible, n]: row k picks patch visible[b, k]; the mask [B, n] is
    // 1 where no row picks the patch.
    SDVariable select = sd.oneHot(visible, n, -1, 1.0, 0.0, dtype);
    SDVariable mask = sd.sum(select, false, 1).rsub(1.0);
    // Patches → embedded tokens with encoder positions.
    SDVariable patches = VitEncoder.patches(sd, images, c);
    SDVariable tokens = VitEncoder.embed(net, c, patches);
    // Gather the visible tokens: [B, n_visible, n]·[B, n, dim]; the class token before them.
    SDVariable shown = sd.mmul(select, tokens);
    if (cls == 1) shown = VitEncoder.withClassToken(net, c, shown);
    // Encode the visible tokens alone.
    SDVariable encoded =
        sd.identity(ENCODED, VitEncoder.transformer(net, c, shown, null, cls + visibleCount));
    // Project to the decoder and scatter back to the patches' positions, zero rows where masked:
    // [B, n, n_visible]·[B, n_visible, dd]; the class token's row stays first.
    SDVariable dec =
        Layers.linear(net, "mae/enc_to_dec", encoded, cls + visibleCount, c.dim(), dd, true);
    SDVariable rows;
    SDVariable hidden = mask;
    if (cls == 1) {
      SDVariable clsRow = sd.slice(dec, new int[] {0, 0, 0}, -1, 1, dd);
      SDVariable patchRows = sd.slice(dec, new int[] {0, 1, 0}, -1, visibleCount, dd);
      rows = sd.concat(1, clsRow, sd.mmul(select, patchRows, true, false, false));
      hidden = sd.concat(1, sd.zerosLike(sd.sum(mask, true, 1)), mask);
    } else {
      rows = sd.mmul(select, dec, true, false, false);
    }
    decodeAndScore(net, m, patches, sd.reshape(rows, -1, dd), mask, hidden);
    return sd;
  }

  /**
   * The decoder and the loss, shared by both forms: {@code visibleRows [B·t, dd]} are the projected
   * encoder outputs with zero rows at the masked positions ({@code t} = {@link
   * MaeConfig#decoderTokens}, the class token's row first when it takes part), {@code mask [B, n]}
   * 1 = masked patch, {@code hidden [B, t]} the same over the decoder's tokens.
   */
  private static void decodeAndScore(
      Net net,
      MaeConfig m,
      SDVariable patches,
      SDVariable visibleRows,
      SDVariable mask,
      SDVariable hidden) {
    ViTConfig c = m.encoder();
    SameDiff sd = net.sd();
    int n = c.numPatches();
    int t = m.decoderTokens();
    int dd = m.decoderDim();
    // Masked positions become the mask token, an outer product [B·t, 1]·[1, dd]; decoder positions.
    SDVariable maskToken = net.normal("mae/mask_token", dd);
    SDVariable decoderPos =
        Positions.build(
            net, DECODER_POSITIONS, m.decoderPosEmbedding(), c.gridSize(), dd, m.hasClassToken());
    SDVariable fill = sd.mmul(sd.reshape(hidden, -1, 1), sd.reshape(maskToken, 1, dd));
    SDVariable dec = sd.reshape(visibleRows.add(fill), -1, t, dd).add(decoderPos);
    // Decode (every token attends to every token) and predict the pixels of every patch.
    SDVariable decoded = Transformer.build(net, "mae/decoder", dec, null, t, decoderSpec(m));
    if (m.hasClassToken()) decoded = sd.slice(decoded, new int[] {0, 1, 0}, -1, n, dd);
    SDVariable pred =
        Layers.linear(net, "mae/to_pixels", decoded, n, m.decoderDim(), c.patchDim(), true);
    sd.identity(Names.PREDICTED_PATCHES, pred);

    // Loss: mean squared error over the masked patches' values.
    SDVariable target = patches;
    SDVariable shownPred = pred;
    if (m.normPixelLoss()) {
      PatchStats stats = PatchStats.of(sd, patches, c.patchDim());
      target = patches.sub(stats.mean()).div(stats.std());
      shownPred = pred.mul(stats.std()).add(stats.mean());
    }
    // Σ over masked patches of Σ_j (pred − target)²: per-patch sums [B, n] weighted by the mask.
    SDVariable diff = pred.sub(target);
    SDVariable perPatch = sd.sum(diff.mul(diff), false, 2);
    sd.sum(perPatch.mul(mask)).div(Names.LOSS, sd.sum(mask).mul(c.patchDim()));
    sd.setLossVariables(Names.LOSS);

    // Reconstruction: predicted pixels where masked, the input where visible.
    SDVariable masked = sd.reshape(mask, -1, n, 1);
    SDVariable merged = shownPred.mul(masked).add(patches.mul(masked.rsub(1.0)));
    sd.identity(Names.RECONSTRUCTION, VitEncoder.unpatchify(sd, merged, c));
  }

  /**
   * The decoder's blocks: {@code m}'s sizes with the encoder's qkv bias and LayerNorm epsilon, and
   * the {@code out} projection unless vit-pytorch's one full-width head.
   */
  public static Transformer.Spec decoderSpec(MaeConfig m) {
    ViTConfig c = m.encoder();
    boolean oneFullHead = m.decoderHeads() == 1 && m.decoderDimHead() == m.decoderDim();
    return new Transformer.Spec(
        m.decoderDim(),
        m.decoderDepth(),
        m.decoderHeads(),
        m.decoderDimHead(),
        m.decoderMlpDim(),
        c.qkvBias(),
        c.layerNormEps(),
        !(c.patchEmbedding() == PatchEmbedding.NORMED_LINEAR && oneFullHead),
        true);
  }

  private static double[] ones(int length) {
    double[] a = new double[length];
    java.util.Arrays.fill(a, 1);
    return a;
  }

  /** Per-patch mean and std (unbiased variance + 1e-6, as the MAE paper's code). */
  private record PatchStats(SDVariable mean, SDVariable std) {
    static PatchStats of(SameDiff sd, SDVariable patches, int patchDim) {
      SDVariable mean = sd.mean(patches, true, 2);
      SDVariable var = sd.sum(sd.math().square(patches.sub(mean)), true, 2).div(patchDim - 1);
      return new PatchStats(mean, sd.math().sqrt(var.add(1e-6)));
    }
  }
}
