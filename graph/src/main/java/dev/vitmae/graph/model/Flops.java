package dev.vitmae.graph.model;

import dev.vitmae.graph.config.MaeConfig;
import dev.vitmae.graph.config.ViTConfig;
import dev.vitmae.graph.nn.Transformer;

/**
 * Analytic FLOP counts (2 per multiply-add, matrix products only; elementwise ops, softmax and
 * norms are a few percent and left out) of vitmae's graphs as built, per image. A training step is
 * counted as 3× the forward pass (forward, and two products per matmul in backward).
 */
public final class Flops {
  private Flops() {}

  /**
   * Forward FLOPs of one image through the MAE training graph ({@link Mae#buildVisibleOnly}): the
   * patch embedding of all n patches, the one-hot gather of the visible ones, the encoder on the
   * visible tokens (and the class token, when the MAE carries it), their projection and scatter to
   * the decoder, the decoder on all its tokens and the pixel head.
   */
  public static long maeForward(MaeConfig m) {
    ViTConfig c = m.encoder();
    long n = c.numPatches();
    long visible = n - m.numMasked();
    long cls = m.hasClassToken() ? 1 : 0;
    return linear(n, c.patchDim(), c.dim())
        + linear(visible, n, c.dim())
        + transformer(cls + visible, VitEncoder.spec(c))
        + linear(cls + visible, c.dim(), m.decoderDim())
        + linear(n, visible, m.decoderDim())
        + transformer(
            m.decoderTokens(),
            new Transformer.Spec(
                m.decoderDim(),
                m.decoderDepth(),
                m.decoderHeads(),
                m.decoderDimHead(),
                m.decoderMlpDim()))
        + linear(n, m.decoderDim(), c.patchDim());
  }

  /** Forward FLOPs of one image through the ViT classifier (with the class token if any). */
  public static long vitForward(ViTConfig c) {
    return linear(c.numPatches(), c.patchDim(), c.dim())
        + transformer(c.numTokens(), VitEncoder.spec(c))
        + linear(1, c.dim(), c.numClasses());
  }

  /** Training-step FLOPs per image: 3× forward. */
  public static long trainStep(long forward) {
    return 3 * forward;
  }

  static long transformer(long n, Transformer.Spec s) {
    long inner = (long) s.heads() * s.dimHead();
    boolean projectOut = s.projectOut();
    long attention =
        linear(n, s.dim(), 3 * inner)
            + 2L * s.heads() * (2L * n * n * s.dimHead())
            + (projectOut ? linear(n, inner, s.dim()) : 0);
    long feedForward = linear(n, s.dim(), s.mlpDim()) + linear(n, s.mlpDim(), s.dim());
    return s.depth() * (attention + feedForward);
  }

  static long linear(long n, long in, long out) {
    return 2 * n * in * out;
  }
}
