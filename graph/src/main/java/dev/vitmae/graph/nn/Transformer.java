package dev.vitmae.graph.nn;

import org.nd4j.autodiff.samediff.SDVariable;

/** vit-pytorch's {@code Transformer}: pre-norm blocks then a final LayerNorm. */
public final class Transformer {
  private Transformer() {}

  /**
   * Block sizes of one Transformer stack, and how its blocks differ from vit-pytorch's ({@link
   * Attention.Options}); {@code finalNorm} false leaves out the final LayerNorm (timm's {@code
   * global_pool='avg'}, whose norm is on the pooled token instead).
   */
  public record Spec(
      int dim,
      int depth,
      int heads,
      int dimHead,
      int mlpDim,
      boolean qkvBias,
      double layerNormEps,
      boolean projectOut,
      boolean finalNorm) {
    /** vit-pytorch's blocks: no qkv bias, epsilon 1e-5, {@code to_out} unless one full head. */
    public Spec(int dim, int depth, int heads, int dimHead, int mlpDim) {
      this(
          dim,
          depth,
          heads,
          dimHead,
          mlpDim,
          false,
          Layers.LN_EPS,
          !(heads == 1 && dimHead == dim),
          true);
    }
  }

  /**
   * The name of block {@code block}'s attention in the stack {@code name}: {@code
   * name/block<i>/attn} (its probabilities: {@link Attention#probabilities}).
   */
  public static String attention(String name, int block) {
    return name + "/block" + block + "/attn";
  }

  /**
   * {@code [B, n, dim] -> [B, n, dim]}: for each block {@code x = attn(x) + x; x = ff(x) + x}, then
   * LayerNorm (unless {@code spec.finalNorm()} is false). Parameters are named {@code
   * name/block<i>/attn/...}, {@code name/norm/...}.
   *
   * @param keyBias see {@link Attention#keyBias}; null for full attention
   */
  public static SDVariable build(
      Net net, String name, SDVariable x, SDVariable keyBias, int tokens, Spec spec) {
    return build(net, name, x, keyBias, tokens, spec, null);
  }

  /**
   * {@link #build(Net, String, SDVariable, SDVariable, int, Spec)} with stochastic depth: each
   * residual branch is scaled per example by its column of {@code dropPath [B, 2·depth]} ({@link
   * DropPath}) before it is added; null leaves the branches as they are.
   */
  public static SDVariable build(
      Net net,
      String name,
      SDVariable x,
      SDVariable keyBias,
      int tokens,
      Spec spec,
      SDVariable dropPath) {
    // The residual stream stays [B·n, dim] inside the stack: no reshapes around every layer.
    SDVariable h = net.sd().reshape(x, -1, spec.dim());
    Attention.Options options =
        new Attention.Options(spec.qkvBias(), spec.layerNormEps(), spec.projectOut());
    for (int i = 0; i < spec.depth(); i++) {
      String block = name + "/block" + i;
      SDVariable attn =
          Attention.rows(
              net,
              attention(name, i),
              h,
              keyBias,
              tokens,
              spec.dim(),
              spec.heads(),
              spec.dimHead(),
              options);
      h = branch(net, attn, dropPath, DropPath.BRANCHES_PER_BLOCK * i, tokens, spec).add(h);
      SDVariable ff =
          FeedForward.rows(net, block + "/ff", h, spec.dim(), spec.mlpDim(), spec.layerNormEps());
      h = branch(net, ff, dropPath, DropPath.BRANCHES_PER_BLOCK * i + 1, tokens, spec).add(h);
    }
    SDVariable out =
        spec.finalNorm()
            ? Layers.layerNormRows(net, name + "/norm", h, spec.dim(), spec.layerNormEps())
            : h;
    return net.sd().reshape(out, -1, tokens, spec.dim());
  }

  private static SDVariable branch(
      Net net, SDVariable branch, SDVariable dropPath, int column, int tokens, Spec spec) {
    return dropPath == null
        ? branch
        : DropPath.apply(net.sd(), branch, dropPath, column, tokens, spec.dim());
  }
}
