package dev.vitmae.export;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.linalg.api.ops.BaseScalarOp;

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
  private static final double TOLERANCE = 1e-6;
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

  private final Map<String, DifferentialFunction> producers = new HashMap<>();
  private final Map<String, List<DifferentialFunction>> consumers = new HashMap<>();
  private final Set<String> outputs;

  private GeluFusion(List<DifferentialFunction> ops, List<String> outputs) {
    this.outputs = Set.copyOf(outputs);
    for (DifferentialFunction op : ops) {
      for (String out : op.outputVariablesNames()) producers.put(out, op);
      for (String in : new LinkedHashSet<>(List.of(op.argNames()))) {
        consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(op);
      }
    }
  }

  /**
   * Matches keyed by the own names of both ops they replace: the forward {@code multiply} and the
   * backward {@code add}.
   */
  static Map<String, Match> find(List<DifferentialFunction> ops, List<String> outputs) {
    GeluFusion f = new GeluFusion(ops, outputs);
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
    String a = bp.argNames()[0];
    String e1 = bp.argNames()[1];
    String gy = bp.argNames()[2];
    DifferentialFunction half = scalarProducer(a, "mul_scalar", 0.5, 2, absorbed);
    DifferentialFunction plusOne = scalarProducer(e1, "add_scalar", 1.0, 2, absorbed);
    if (half == null || plusOne == null) return null;
    DifferentialFunction forward = otherConsumer(a, bp);
    if (forward == null
        || !forward.opName().equals("multiply")
        || !List.of(forward.argNames()).equals(List.of(a, e1))
        || otherConsumer(e1, bp) != forward) return null;
    DifferentialFunction erf = producer(plusOne.argNames()[0], "erf", 1, absorbed);
    if (erf == null) return null;
    String t = erf.argNames()[0];
    DifferentialFunction scaled = scalarProducer(t, "mul_scalar", INV_SQRT2, 2, absorbed);
    String x = half.argNames()[0];
    if (scaled == null || !scaled.argNames()[0].equals(x)) return null;
    // Backward: gx = add(0.5·ga, (1/√2)·((2/√π)·ones_as(ge)·exp(−t·t))·ge).
    String ga = bp.outputVariablesNames()[0];
    String ge = bp.outputVariablesNames()[1];
    DifferentialFunction gx1 = onlyConsumer(ga, "mul_scalar", 0.5, absorbed);
    DifferentialFunction square = otherConsumer(t, erf);
    if (gx1 == null || square == null || !square.opName().equals("multiply")) return null;
    if (!List.of(square.argNames()).equals(List.of(t, t))) return null;
    absorbed.add(square.getOwnName());
    DifferentialFunction negate = onlyConsumer(out(square), "mul_scalar", -1.0, absorbed);
    DifferentialFunction exp = negate == null ? null : onlyConsumer(out(negate), "exp", absorbed);
    List<DifferentialFunction> geUsers = consumers.getOrDefault(ge, List.of());
    if (exp == null || geUsers.size() != 2 || outputs.contains(ge)) return null;
    DifferentialFunction ones = null;
    DifferentialFunction times = null;
    for (DifferentialFunction u : geUsers) {
      if (u.opName().equals("ones_as")) ones = u;
      else if (u.opName().equals("multiply")) times = u;
    }
    if (ones == null || times == null) return null;
    absorbed.add(ones.getOwnName());
    DifferentialFunction constant =
        onlyConsumer(out(ones), "mul_scalar", TWO_OVER_SQRT_PI, absorbed);
    DifferentialFunction kp = onlyConsumer(out(exp), "multiply", absorbed);
    if (constant == null
        || kp == null
        || !Set.of(kp.argNames()).equals(Set.of(out(constant), out(exp)))) return null;
    DifferentialFunction gt = onlyConsumer(out(kp), "multiply", absorbed);
    if (gt != times || !Set.of(gt.argNames()).equals(Set.of(out(kp), ge))) return null;
    DifferentialFunction gx2 = onlyConsumer(out(gt), "mul_scalar", INV_SQRT2, absorbed);
    DifferentialFunction sum = gx2 == null ? null : single(out(gx2));
    if (sum == null || !sum.opName().equals("add") || single(out(gx1)) != sum) return null;
    if (!Set.of(sum.argNames()).equals(Set.of(out(gx1), out(gx2)))) return null;
    return new Match(x, gy, scaled, erf, forward, sum, absorbed);
  }

  /**
   * The {@code opName} op with scalar {@code value} producing {@code value}, whose output has
   * exactly {@code users} consumers and is not a requested output.
   */
  private DifferentialFunction scalarProducer(
      String value, String opName, double scalar, int users, Set<String> absorbed) {
    DifferentialFunction p = producer(value, opName, users, absorbed);
    return p != null && hasScalar(p, scalar) ? p : null;
  }

  private DifferentialFunction producer(
      String value, String opName, int users, Set<String> absorbed) {
    DifferentialFunction p = producers.get(value);
    if (p == null || !p.opName().equals(opName) || outputs.contains(value)) return null;
    if (consumers.getOrDefault(value, List.of()).size() != users) return null;
    absorbed.add(p.getOwnName());
    return p;
  }

  /**
   * The single op of kind {@code opName} (with scalar {@code scalar}, unless null) reading {@code
   * value}, absorbed.
   */
  private DifferentialFunction onlyConsumer(
      String value, String opName, Double scalar, Set<String> absorbed) {
    DifferentialFunction op = single(value);
    if (op == null || !op.opName().equals(opName)) return null;
    if (scalar != null && !hasScalar(op, scalar)) return null;
    absorbed.add(op.getOwnName());
    return op;
  }

  /** The only op reading {@code value}, which is not a requested output; else null. */
  private DifferentialFunction single(String value) {
    List<DifferentialFunction> users = consumers.getOrDefault(value, List.of());
    return users.size() == 1 && !outputs.contains(value) ? users.get(0) : null;
  }

  private DifferentialFunction onlyConsumer(String value, String opName, Set<String> absorbed) {
    return onlyConsumer(value, opName, null, absorbed);
  }

  /** The consumer of {@code value} other than {@code known}, when it has exactly two. */
  private DifferentialFunction otherConsumer(String value, DifferentialFunction known) {
    List<DifferentialFunction> users = consumers.getOrDefault(value, List.of());
    if (users.size() != 2 || !users.contains(known)) return null;
    return users.get(0) == known ? users.get(1) : users.get(0);
  }

  private static boolean hasScalar(DifferentialFunction op, double value) {
    return op instanceof BaseScalarOp && Math.abs(OnnxOp.scalarOf(op) - value) <= TOLERANCE;
  }

  private static String out(DifferentialFunction op) {
    return op.outputVariablesNames()[0];
  }
}
