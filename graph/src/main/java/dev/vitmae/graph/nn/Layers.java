package dev.vitmae.graph.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * The primitive layers, built only from ops whose forward and gradient were checked against finite
 * differences ({@code BlockGradientTest}, {@code ModelGradientTest}). Stock {@code layerNorm},
 * {@code gelu} and {@code meanSquaredError} are avoided on purpose: they differ from PyTorch or
 * have wrong gradients in ND4J 1.0.0-M2.1.
 */
public final class Layers {
  /** PyTorch's LayerNorm epsilon. */
  public static final double LN_EPS = 1e-5;

  private Layers() {}

  /**
   * {@code y = x W (+ b)} on {@code [B, n, in] -> [B, n, out]}; {@code W} is {@code [in, out]},
   * initialized U(±1/√in) like {@code torch.nn.Linear}.
   */
  public static SDVariable linear(
      Net net, String name, SDVariable x, int tokens, int in, int out, boolean bias) {
    SameDiff sd = net.sd();
    return sd.reshape(linearRows(net, name, sd.reshape(x, -1, in), in, out, bias), -1, tokens, out);
  }

  /**
   * {@link #linear} on rows, {@code [N, in] -> [N, out]}: one matmul (plus the bias), no reshapes.
   */
  public static SDVariable linearRows(
      Net net, String name, SDVariable x, int in, int out, boolean bias) {
    SameDiff sd = net.sd();
    double bound = 1 / Math.sqrt(in);
    SDVariable y = sd.mmul(x, net.uniform(name + "/W", bound, in, out));
    return bias ? y.add(net.uniform(name + "/b", bound, out)) : y;
  }

  /**
   * LayerNorm over the last axis of {@code x} (any rank, e.g. {@code [B, n, d]}), PyTorch-exact
   * (biased variance, eps inside the square root); gain 1 and bias 0 initially.
   *
   * <p>Written for a fast backward pass: ND4J's gradient of a broadcasting {@code multiply} is ~20×
   * slower than the forward op (docs/BENCHMARKS.md), so the rows are normalized as a 2-D {@code
   * [rows, d]} matrix and {@code 1/σ} and the gain enter as one outer product {@code [rows, 1] ·
   * [1, d]} (a matmul, whose gradient is two matrix-vector products) that multiplies the centered
   * rows element-wise; {@code c·c} instead of {@code square(c)} (whose gradient goes through a
   * generic pow derivative). The exporter recognizes this pattern and writes one ONNX {@code
   * LayerNormalization}.
   */
  public static SDVariable layerNorm(Net net, String name, SDVariable x, int dim) {
    return layerNorm(net, name, x, dim, LN_EPS);
  }

  /** {@link #layerNorm} with epsilon {@code eps} (1e-6 in timm, MAE and I-JEPA). */
  public static SDVariable layerNorm(Net net, String name, SDVariable x, int dim, double eps) {
    SameDiff sd = net.sd();
    return sd.reshape(layerNormRows(net, name, sd.reshape(x, -1, dim), dim, eps), sd.shape(x));
  }

  /** {@link #layerNorm} on rows {@code [N, dim]}, no reshapes. */
  public static SDVariable layerNormRows(Net net, String name, SDVariable rows, int dim) {
    return layerNormRows(net, name, rows, dim, LN_EPS);
  }

  /** {@link #layerNormRows} with epsilon {@code eps}. */
  public static SDVariable layerNormRows(
      Net net, String name, SDVariable rows, int dim, double eps) {
    SameDiff sd = net.sd();
    SDVariable gain = net.filled(name + "/g", 1, dim);
    SDVariable bias = net.filled(name + "/b", 0, dim);
    // Positive axis: mean(x, true, -1) has a wrong gradient in M2.1.
    SDVariable centered = rows.sub(sd.mean(rows, true, 1));
    SDVariable variance = sd.mean(centered.mul(centered), true, 1);
    // scale[i, j] = gain[j] / sqrt(variance[i] + eps)
    SDVariable scale = sd.mmul(sd.math().rsqrt(variance.add(eps)), sd.reshape(gain, 1, dim));
    return centered.mul(scale).add(bias);
  }

  /**
   * LayerNorm without gain and bias over the last axis of {@code [B, n, d]}, as {@code
   * F.layer_norm(x, (d,))}: {@code (x − mean) / √(biased variance + 1e-5)}. Used on inputs
   * (I-JEPA's target tokens), so its backward speed does not matter.
   */
  public static SDVariable normalize(SameDiff sd, SDVariable x) {
    // Positive axis: mean(x, true, -1) has a wrong gradient in M2.1.
    SDVariable centered = x.sub(sd.mean(x, true, 2));
    SDVariable variance = sd.mean(sd.math().square(centered), true, 2);
    return centered.mul(sd.math().rsqrt(variance.add(LN_EPS)));
  }

  /** Exact GELU, {@code 0.5 x (1 + erf(x / √2))}, as {@code torch.nn.GELU()}. */
  public static SDVariable gelu(SameDiff sd, SDVariable x) {
    return x.mul(0.5).mul(sd.math().erf(x.mul(1 / Math.sqrt(2))).add(1.0));
  }
}
