package dev.vitmae.graph.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/** Pre-norm multi-head self-attention, as vit-pytorch's {@code Attention}. */
public final class Attention {
  private Attention() {}

  /**
   * The name of a block's attention probabilities {@code [B, h, n_q, n_k]}: {@code <name>/probs}
   * for the attention built as {@code name}, e.g. {@code encoder/transformer/block0/attn/probs} (an
   * intermediate variable, not a parameter).
   */
  public static String probabilities(String name) {
    return name + "/probs";
  }

  /**
   * {@code [B, n, dim] -> [B, n, dim]}: LayerNorm, {@code to_qkv} (no bias), softmax(q kᵀ / √d) v
   * per head, {@code to_out} (omitted when one head already has width {@code dim}).
   *
   * @param keyBias {@code [B, 1, 1, n]} added to the attention logits (a large negative value hides
   *     a key), or null for full attention
   */
  public static SDVariable build(
      Net net,
      String name,
      SDVariable x,
      SDVariable keyBias,
      int tokens,
      int dim,
      int heads,
      int dimHead) {
    SameDiff sd = net.sd();
    SDVariable out = rows(net, name, sd.reshape(x, -1, dim), keyBias, tokens, dim, heads, dimHead);
    return sd.reshape(out, -1, tokens, dim);
  }

  /**
   * The same on the token rows {@code [B·n, dim] -> [B·n, dim]} (row {@code b·n + i} is token
   * {@code i} of sample {@code b}): only the per-head products need the {@code [B, h, n, d]}
   * layout.
   */
  public static SDVariable rows(
      Net net,
      String name,
      SDVariable x,
      SDVariable keyBias,
      int tokens,
      int dim,
      int heads,
      int dimHead) {
    boolean projectOut = !(heads == 1 && dimHead == dim);
    return rows(net, name, x, keyBias, tokens, dim, heads, dimHead, Options.vitPytorch(projectOut));
  }

  /**
   * How the published ViTs differ from vit-pytorch's attention: a bias on {@code qkv} (timm's
   * {@code qkv_bias=True}), the LayerNorm epsilon, whether the {@code out} projection is there.
   */
  public record Options(boolean qkvBias, double layerNormEps, boolean projectOut) {
    /** vit-pytorch's: no qkv bias, epsilon 1e-5. */
    public static Options vitPytorch(boolean projectOut) {
      return new Options(false, Layers.LN_EPS, projectOut);
    }
  }

  /** {@link #rows} with {@code options}. */
  public static SDVariable rows(
      Net net,
      String name,
      SDVariable x,
      SDVariable keyBias,
      int tokens,
      int dim,
      int heads,
      int dimHead,
      Options options) {
    SameDiff sd = net.sd();
    int inner = heads * dimHead;
    SDVariable h = Layers.layerNormRows(net, name + "/ln", x, dim, options.layerNormEps());
    SDVariable qkv = Layers.linearRows(net, name + "/qkv", h, dim, 3 * inner, options.qkvBias());
    SDVariable[] parts = sd.split(qkv, 3, 1);
    SDVariable q = splitHeads(sd, parts[0], tokens, heads, dimHead);
    SDVariable k = splitHeads(sd, parts[1], tokens, heads, dimHead);
    SDVariable v = splitHeads(sd, parts[2], tokens, heads, dimHead);
    // Scaled dot products [B, h, n, n], hidden keys pushed to -1e9 before the softmax.
    SDVariable dots = sd.mmul(q, k, false, true, false).mul(1 / Math.sqrt(dimHead));
    if (keyBias != null) dots = dots.add(keyBias);
    SDVariable attn = sd.nn().softmax(probabilities(name), dots, 3);
    SDVariable out = sd.reshape(sd.permute(sd.mmul(attn, v), 0, 2, 1, 3), -1, inner);
    return options.projectOut()
        ? Layers.linearRows(net, name + "/out", out, inner, dim, true)
        : out;
  }

  /** {@code [B·n, h·d] -> [B, h, n, d]}. */
  private static SDVariable splitHeads(SameDiff sd, SDVariable x, int tokens, int heads, int d) {
    return sd.permute(sd.reshape(x, -1, tokens, heads, d), 0, 2, 1, 3);
  }

  /**
   * The attention bias that hides masked tokens as keys: {@code mask [B, n]} (1 = hidden) to {@code
   * [B, 1, 1, n]} of 0 or -1e9. Queries at hidden positions still produce (unused) outputs, so
   * visible tokens see exactly what an encoder over the visible tokens alone would see.
   */
  public static SDVariable keyBias(Net net, SDVariable mask, int tokens) {
    return net.sd().reshape(mask.mul(-1e9), -1, 1, 1, tokens);
  }
}
