package dev.vitmae.export;

import static dev.vitmae.export.OpGraph.arg;
import static dev.vitmae.export.OpGraph.out;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.functions.DifferentialFunction;

/**
 * Finds vitmae's exact GELU together with the backward pass SameDiff 1.0.0-M2.1 derives for it in a
 * gradient function, so a training step writes both in fewer element-wise passes. The forward, as
 * {@code dev.vitmae.graph.nn.Layers#gelu} declares it:
 *
 * <pre>
 * a = mul_scalar(x, 0.5)   t = mul_scalar(x, 1/√2)   e = erf(t)   e1 = add_scalar(e, 1)
 * y = multiply(a, e1)
 * </pre>
 *
 * and SameDiff's gradient of it ({@code gy} the gradient arriving at {@code y}):
 *
 * <pre>
 * (ga, ge) = multiply_bp(a, e1, gy)            gx1 = mul_scalar(ga, 0.5)
 * k = mul_scalar(ones_as(ge), 2/√π)            p = exp(mul_scalar(multiply(t, t), -1))
 * gx2 = mul_scalar(multiply(multiply(k, p), ge), 1/√2)        gx = add(gx1, gx2)
 * </pre>
 *
 * — 5 passes forward and 12 backward over the MLP's widest activation, one of them a tensor of
 * ones. Written instead as
 *
 * <pre>
 * t = x·(1/√2)   e = Erf(t)   Φ = HardSigmoid(e; α = β = 0.5)   y = x·Φ
 * gx = gy·(Φ + t·exp(ln(1/√π) − t²))
 * </pre>
 *
 * ({@code Φ} is the normal CDF, exactly {@code 0.5·e + 0.5} as {@code e ∈ [−1, 1]}; {@code
 * t·exp(−t²)/√π = x·φ(x)}): 4 passes forward and 6 backward, the same values up to float rounding.
 * A match needs every intermediate used only inside the pattern and none of them a requested
 * output; anything else is left to the op-by-op translation.
 */
final class GeluFusion {
  private static final double INV_SQRT2 = 1 / Math.sqrt(2);
  private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

  /**
   * One GELU and its gradient: the input {@code x}, the gradient arriving at the output {@code gy},
   * the ops whose outputs the fused nodes write ({@code forward}: y; {@code backward}: the gradient
   * of x), the forward ops for {@code t} and {@code e} (their names are reused), and every op the
   * pattern absorbs.
   */
  record Match(
      String x,
      String gy,
      DifferentialFunction scaled,
      DifferentialFunction erf,
      DifferentialFunction forward,
      DifferentialFunction backward,
      Set<String> absorbed) {

    /** The normal CDF's value name, shared by the forward and backward nodes. */
    String cdf() {
      return forward.getOwnName() + "/cdf";
    }
  }

  private final OpGraph g;

  private GeluFusion(OpGraph g) {
    this.g = g;
  }

  /**
   * Matches keyed by the own names of both ops they replace: the forward {@code multiply} and the
   * backward {@code add}.
   */
  static Map<String, Match> find(OpGraph graph, List<DifferentialFunction> ops) {
    GeluFusion f = new GeluFusion(graph);
    Map<String, Match> matches = new HashMap<>();
    for (DifferentialFunction op : ops) {
      if (op.opName().equals("multiply_bp")) {
        Match m = f.match(op);
        if (m != null) {
          matches.put(m.forward().getOwnName(), m);
          matches.put(m.backward().getOwnName(), m);
        }
      }
    }
    return matches;
  }

  /** Writes the forward nodes at the forward {@code multiply}'s place. */
  static void emitForward(ExportContext c, Match m) {
    DifferentialFunction op = m.forward();
    String t = c.out(m.scaled(), 0);
    String e = c.out(m.erf(), 0);
    c.b().unique(t);
    c.b().unique(e);
    c.b().unique(m.cdf());
    c.b().unique(c.out(op, 0));
    c.node("Mul", op, new String[] {m.x(), c.scalar(op, "inv_sqrt2", INV_SQRT2)}, t);
    c.node("Erf", op, new String[] {t}, e);
    c.node("HardSigmoid", op, new String[] {e}, m.cdf())
        .addAttribute(OnnxGraphBuilder.floatAttr("alpha", 0.5))
        .addAttribute(OnnxGraphBuilder.floatAttr("beta", 0.5));
    c.node("Mul", op, new String[] {m.x(), m.cdf()}, c.out(op, 0));
  }

  /** Writes the backward nodes at the backward {@code add}'s place. */
  static void emitBackward(ExportContext c, Match m) {
    DifferentialFunction op = m.backward();
    String t = c.out(m.scaled(), 0);
    String square = c.temp(op, "t_squared");
    c.node("Mul", op, new String[] {t, t}, square);
    String exponent = c.temp(op, "exponent");
    c.node(
        "Sub",
        op,
        new String[] {c.scalar(op, "log_inv_sqrt_pi", -0.5 * Math.log(Math.PI)), square},
        exponent);
    String density = c.temp(op, "scaled_density");
    c.node("Exp", op, new String[] {exponent}, density);
    String xDensity = c.temp(op, "x_density");
    c.node("Mul", op, new String[] {t, density}, xDensity);
    String slope = c.temp(op, "slope");
    c.node("Add", op, new String[] {m.cdf(), xDensity}, slope);
    c.b().unique(c.out(op, 0));
    c.node("Mul", op, new String[] {m.gy(), slope}, c.out(op, 0));
  }

  private Match match(DifferentialFunction bp) {
    Set<String> absorbed = new HashSet<>();
    absorbed.add(bp.getOwnName());
    // Forward: y = multiply(a, e1), a = 0.5·x, e1 = erf(t) + 1, t = x/√2.
    String a = arg(bp, 0);
    String e1 = arg(bp, 1);
    DifferentialFunction half = scalarProducer(a, "mul_scalar", 0.5, absorbed);
    DifferentialFunction plusOne = scalarProducer(e1, "add_scalar", 1.0, absorbed);
    if (half == null || plusOne == null) return null;
    DifferentialFunction forward = g.other(a, bp);
    if (forward == null
        || !forward.opName().equals("multiply")
        || !List.of(forward.argNames()).equals(List.of(a, e1))
        || g.other(e1, bp) != forward) return null;
    DifferentialFunction erf = g.producer(arg(plusOne, 0), "erf", 1);
    if (erf == null) return null;
    absorbed.add(erf.getOwnName());
    String t = arg(erf, 0);
    DifferentialFunction scaled = scalarProducer(t, "mul_scalar", INV_SQRT2, absorbed);
    String x = arg(half, 0);
    if (scaled == null || !arg(scaled, 0).equals(x)) return null;
    // Backward: gx = add(0.5·ga, (1/√2)·((2/√π)·ones_as(ge)·exp(−t·t))·ge).
    String ge = out(bp, 1);
    DifferentialFunction gx1 = scalarConsumer(out(bp, 0), "mul_scalar", 0.5, absorbed);
    DifferentialFunction square = g.other(t, erf);
    if (gx1 == null || square == null || !square.opName().equals("multiply")) return null;
    if (!List.of(square.argNames()).equals(List.of(t, t))) return null;
    absorbed.add(square.getOwnName());
    DifferentialFunction negate = scalarConsumer(out(square), "mul_scalar", -1.0, absorbed);
    DifferentialFunction exp = negate == null ? null : consumer(out(negate), "exp", absorbed);
    List<DifferentialFunction> geUsers = g.consumers(ge);
    if (exp == null || geUsers.size() != 2 || g.requested(ge)) return null;
    DifferentialFunction ones = null;
    DifferentialFunction times = null;
    for (DifferentialFunction u : geUsers) {
      if (u.opName().equals("ones_as")) ones = u;
      else if (u.opName().equals("multiply")) times = u;
    }
    if (ones == null || times == null) return null;
    absorbed.add(ones.getOwnName());
    DifferentialFunction constant =
        scalarConsumer(out(ones), "mul_scalar", TWO_OVER_SQRT_PI, absorbed);
    DifferentialFunction kp = consumer(out(exp), "multiply", absorbed);
    if (constant == null
        || kp == null
        || !Set.of(kp.argNames()).equals(Set.of(out(constant), out(exp)))) return null;
    DifferentialFunction gt = consumer(out(kp), "multiply", absorbed);
    if (gt != times || !Set.of(gt.argNames()).equals(Set.of(out(kp), ge))) return null;
    DifferentialFunction gx2 = scalarConsumer(out(gt), "mul_scalar", INV_SQRT2, absorbed);
    DifferentialFunction sum = gx2 == null ? null : g.single(out(gx2), "add");
    if (sum == null || g.single(out(gx1)) != sum) return null;
    if (!Set.of(sum.argNames()).equals(Set.of(out(gx1), out(gx2)))) return null;
    return new Match(x, arg(bp, 2), scaled, erf, forward, sum, absorbed);
  }

  /** The {@code opName} op with scalar {@code scalar} writing {@code value}, read twice. */
  private DifferentialFunction scalarProducer(
      String value, String opName, double scalar, Set<String> absorbed) {
    DifferentialFunction p = g.producer(value, opName, 2);
    if (p == null || !OpGraph.hasScalar(p, scalar)) return null;
    absorbed.add(p.getOwnName());
    return p;
  }

  /** The only reader of {@code value}, of kind {@code opName} with scalar {@code scalar}. */
  private DifferentialFunction scalarConsumer(
      String value, String opName, double scalar, Set<String> absorbed) {
    DifferentialFunction op = g.single(value, opName);
    if (op == null || !OpGraph.hasScalar(op, scalar)) return null;
    absorbed.add(op.getOwnName());
    return op;
  }

  /** The only reader of {@code value}, of kind {@code opName}. */
  private DifferentialFunction consumer(String value, String opName, Set<String> absorbed) {
    DifferentialFunction op = g.single(value, opName);
    if (op != null) absorbed.add(op.getOwnName());
    return op;
  }
}
