package dev.vitmae.graph.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * The primitive layers, built only from ops whose forward and gradient were checked against
 * finite differences (see SAMEDIFF-NOTES and {@code GradientCheckTest}). Stock
 * {@code layerNorm}, {@code gelu} and {@code meanSquaredError} are avoided on purpose: they
 * differ from PyTorch or have wrong gradients in ND4J 1.0.0-M2.1.
 */
public final class Layers {
  /** PyTorch's LayerNorm epsilon. */
  public static final double LN_EPS = 1e-5;

  private Layers() {}

  /**
   * {@code y = x W (+ b)} on {@code [B, n, in] -> [B, n, out]}; {@code W} is {@code [in, out]},
   * initialized U(±1/√in) like {@code torch.nn.Linear}.
   */
  public static SDVariable linear(Net net, String name, SDVariable x, int tokens, int in, int out,
      boolean bias) {
    SameDiff sd = net.sd();
    double bound = 1 / Math.sqrt(in);
    SDVariable w = net.uniform(name + "/W", bound, in, out);
    SDVariable y = sd.mmul(sd.reshape(x, -1, in), w);
    if (bias) y = y.add(net.uniform(name + "/b", bound, out));
    return sd.reshape(y, -1, tokens, out);
  }

  /**
   * LayerNorm over the last axis of {@code [B, n, d]}, PyTorch-exact (biased variance, eps inside
   * the square root); gain 1 and bias 0 initially.
   */
  public static SDVariable layerNorm(Net net, String name, SDVariable x, int dim) {
    SameDiff sd = net.sd();
    SDVariable gain = net.filled(name + "/g", 1, dim);
    SDVariable bias = net.filled(name + "/b", 0, dim);
    return normalize(sd, x).mul(gain).add(bias);
  }

  /**
   * LayerNorm without gain and bias over the last axis of {@code [B, n, d]}, as
   * {@code F.layer_norm(x, (d,))}: {@code (x − mean) / √(biased variance + 1e-5)}.
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
