package dev.vitmae.graph.model;

import dev.vitmae.graph.config.MaeConfig;
import dev.vitmae.graph.config.ViTConfig;
import dev.vitmae.graph.nn.Attention;
import dev.vitmae.graph.nn.Layers;
import dev.vitmae.graph.nn.Net;
import dev.vitmae.graph.nn.Transformer;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The Masked Autoencoder, vit-pytorch's {@code MAE}, as one graph used for training, evaluation and
 * export.
 *
 * <p>Masking comes from the {@code mask [B, n]} input (1 = masked), drawn on the host. The encoder
 * sees only visible tokens: masked tokens are hidden as attention keys, which gives the visible
 * tokens exactly the outputs of an encoder run on the visible tokens alone; the masked positions'
 * encoder outputs are then discarded. This allows any number of masked patches per sample, and the
 * same graph serves training and inference.
 */
public final class Mae {
  /** The encoder's output {@code [B, n, dim]}; rows of masked patches are computed but unused. */
  public static final String ENCODED = "mae/encoded";

  private Mae() {}

  /**
   * Inputs {@code images [B, C, H, W]}, {@code mask [B, n]}; outputs {@code loss} (MSE over the
   * masked patches), {@code predicted_patches [B, n, p²·C]} and {@code reconstruction [B, C, H, W]}
   * (predictions at masked patches, input pixels elsewhere).
   */
  public static SameDiff build(MaeConfig m, DataType dtype, long seed) {
    ViTConfig c = m.encoder();
    Net net = new Net(SameDiff.create(), dtype, seed);
    SameDiff sd = net.sd();
    int n = c.numPatches();
    SDVariable images = net.input(Names.IMAGES, -1, c.channels(), c.imageSize(), c.imageSize());
    SDVariable mask = net.input(Names.MASK, -1, n);

    // Patches → embedded tokens with encoder positions.
    SDVariable patches = VitEncoder.patches(sd, images, c);
    SDVariable tokens = VitEncoder.embed(net, c, patches);
    // Encode, each visible token attending to visible tokens only.
    SDVariable encoded =
        sd.identity(
            ENCODED, VitEncoder.transformer(net, c, tokens, Attention.keyBias(net, mask, n), n));
    // Project to the decoder; masked positions become the mask token; decoder positions.
    int dd = m.decoderDim();
    SDVariable dec =
        Layers.linearRows(
            net, "mae/enc_to_dec", sd.reshape(encoded, -1, c.dim()), c.dim(), dd, true);
    SDVariable maskToken = net.normal("mae/mask_token", dd);
    SDVariable decoderPos = net.normal("mae/decoder_pos", n, dd);
    // dec·visible + masked·mask_token on [B·n, dd] rows; both per-token factors enter as outer
    // products [B·n, 1]·[1, dd] (a broadcasting multiply has a ~20× slower gradient in ND4J).
    SDVariable maskedRows = sd.reshape(mask, -1, 1);
    SDVariable keep = sd.mmul(maskedRows.rsub(1.0), net.constant("mae/ones", ones(dd), 1, dd));
    SDVariable fill = sd.mmul(maskedRows, sd.reshape(maskToken, 1, dd));
    SDVariable blended = dec.mul(keep).add(fill);
    dec = sd.reshape(blended, -1, n, dd).add(decoderPos);
    // Decode and predict the pixels of every patch.
    SDVariable decoded =
        Transformer.build(
            net,
            "mae/decoder",
            dec,
            null,
            n,
            new Transformer.Spec(
                m.decoderDim(),
                m.decoderDepth(),
                m.decoderHeads(),
                m.decoderDimHead(),
                m.decoderMlpDim()));
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
    return sd;
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
