package dev.vitmae.graph.model;

import dev.vitmae.graph.config.IjepaConfig;
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
 * I-JEPA (Assran et al. 2023, facebookresearch/ijepa): from the context block of an image, predict
 * the target encoder's features of several target blocks.
 *
 * <p>The target encoder is an exponential moving average of the context encoder, kept outside this
 * graph (it gets no gradient): its tokens come in as the {@code target_tokens} input. As in {@link
 * Mae}, hidden patches are hidden as attention keys instead of being gathered out, so context and
 * target sets of any size per sample share one graph. The predictor runs once per target block, the
 * blocks stacked along the batch axis (row {@code j·B + b} is block {@code j} of sample {@code b}),
 * as ijepa's predictor stacks them. The context encoder has no class token (an encoder's class
 * token takes no part); the predictor's positions are {@link IjepaConfig#predictorPosEmbedding}.
 */
public final class Ijepa {
  /** The context encoder's output {@code [B, n, dim]}; rows outside the context are unused. */
  public static final String CONTEXT = "ijepa/context";

  private Ijepa() {}

  /**
   * The training graph. Inputs {@code images [B, C, H, W]}, {@code context_mask [B, n]} (1 = not in
   * the context), {@code target_masks [B, blocks, n]} (1 = in target block), {@code target_tokens
   * [B, n, dim]}; output {@code loss}: smooth L1 (β = 1) between the predictions and the
   * layer-normalized target tokens, averaged over target patches and features.
   */
  public static SameDiff build(IjepaConfig m, DataType dtype, long seed) {
    ViTConfig c = m.encoder();
    Net net = new Net(SameDiff.create(), dtype, seed);
    SameDiff sd = net.sd();
    int n = c.numPatches();
    int blocks = m.masks().nPred();
    SDVariable images = net.input(Names.IMAGES, -1, c.channels(), c.imageSize(), c.imageSize());
    SDVariable contextMask = net.input(Names.CONTEXT_MASK, -1, n);
    SDVariable targetMasks = net.input(Names.TARGET_MASKS, -1, blocks, n);
    SDVariable targetTokens = net.input(Names.TARGET_TOKENS, -1, n, c.dim());

    // Block-major rows [blocks·B, n], matching the predictor's stacking.
    SDVariable targetMask = sd.reshape(sd.permute(targetMasks, 1, 0, 2), -1, n);
    SDVariable predicted = predict(net, m, images, contextMask, targetMask, blocks);
    // Targets: the target encoder's features, layer-normalized without affine (as ijepa).
    SDVariable targets = repeat(sd, Layers.normalize(sd, targetTokens), blocks);
    SDVariable perFeature = smoothL1(sd, predicted.sub(targets));
    SDVariable atTargets = perFeature.mul(sd.reshape(targetMask, -1, n, 1));
    sd.sum(atTargets).div(Names.LOSS, sd.sum(targetMask).mul(c.dim()));
    sd.setLossVariables(Names.LOSS);
    return sd;
  }

  /**
   * The inference predictor: inputs {@code images}, {@code context_mask [B, n]} and {@code
   * target_mask [B, n]} (one target block per row); output {@code predicted_tokens [B, n, dim]},
   * the predicted layer-normalized target features, meaningful at the target patches. Context
   * encoder and predictor weights are named as in {@link #build}.
   */
  public static SameDiff buildPredictor(IjepaConfig m, DataType dtype, long seed) {
    ViTConfig c = m.encoder();
    Net net = new Net(SameDiff.create(), dtype, seed);
    int n = c.numPatches();
    SDVariable images = net.input(Names.IMAGES, -1, c.channels(), c.imageSize(), c.imageSize());
    SDVariable contextMask = net.input(Names.CONTEXT_MASK, -1, n);
    SDVariable targetMask = net.input(Names.TARGET_MASK, -1, n);
    net.sd().identity(Names.PREDICTED_TOKENS, predict(net, m, images, contextMask, targetMask, 1));
    return net.sd();
  }

  /**
   * Context encoder and predictor: {@code [blocks·B, n, dim]} predictions for the {@code targetMask
   * [blocks·B, n]} rows, each row seeing its sample's context tokens.
   */
  static SDVariable predict(
      Net net,
      IjepaConfig m,
      SDVariable images,
      SDVariable contextMask,
      SDVariable targetMask,
      int blocks) {
    ViTConfig c = m.encoder();
    SameDiff sd = net.sd();
    int n = c.numPatches();
    int pd = m.predictorDim();
    // Context encoder: every token attends to the context tokens only.
    SDVariable tokens = VitEncoder.embed(net, c, VitEncoder.patches(sd, images, c));
    SDVariable context =
        sd.identity(
            CONTEXT,
            VitEncoder.transformer(net, c, tokens, Attention.keyBias(net, contextMask, n), n));

    // Predictor input, per target block: projected context tokens at context positions, the
    // mask token at target positions, predictor positions everywhere.
    SDVariable x =
        repeat(sd, Layers.linear(net, "predictor/embed", context, n, c.dim(), pd, true), blocks);
    SDVariable notContext = repeat(sd, contextMask, blocks);
    SDVariable maskToken = net.normal("predictor/mask_token", pd);
    x =
        x.mul(sd.reshape(notContext.rsub(1.0), -1, n, 1))
            .add(sd.reshape(targetMask, -1, n, 1).mul(maskToken))
            .add(
                Positions.build(net, "predictor/pos", m.predictorPosEmbedding(), c.gridSize(), pd));
    // Context and target tokens attend to each other; every other position is hidden.
    SDVariable hidden = notContext.mul(targetMask.rsub(1.0));
    SDVariable out =
        Transformer.build(
            net, "predictor", x, Attention.keyBias(net, hidden, n), n, predictorSpec(m));
    return Layers.linear(net, "predictor/proj", out, n, pd, c.dim(), true);
  }

  /**
   * The predictor's blocks: {@code m}'s sizes with the encoder's qkv bias and LayerNorm epsilon (as
   * ijepa's {@code vit_predictor} and its encoders share them), and the {@code out} projection
   * unless vit-pytorch's one full-width head.
   */
  public static Transformer.Spec predictorSpec(IjepaConfig m) {
    ViTConfig c = m.encoder();
    boolean oneFullHead = m.predictorHeads() == 1 && m.predictorDimHead() == m.predictorDim();
    return new Transformer.Spec(
        m.predictorDim(),
        m.predictorDepth(),
        m.predictorHeads(),
        m.predictorDimHead(),
        m.predictorMlpDim(),
        c.qkvBias(),
        c.layerNormEps(),
        !(c.patchEmbedding() == PatchEmbedding.NORMED_LINEAR && oneFullHead),
        true);
  }

  /** Smooth L1 with β = 1, per element: {@code ½d²} where {@code |d| < 1}, else {@code |d| − ½}. */
  static SDVariable smoothL1(SameDiff sd, SDVariable d) {
    SDVariable a = sd.math().abs(d);
    SDVariable small = a.sub(sd.nn().relu(a.sub(1.0), 0)); // min(|d|, 1)
    return small.mul(a.sub(small.mul(0.5)));
  }

  /** {@code x} stacked {@code times} along the batch axis (no op for once). */
  static SDVariable repeat(SameDiff sd, SDVariable x, int times) {
    if (times == 1) return x;
    SDVariable[] copies = new SDVariable[times];
    java.util.Arrays.fill(copies, x);
    return sd.concat(0, copies);
  }
}
