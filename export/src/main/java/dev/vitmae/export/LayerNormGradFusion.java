package dev.vitmae.export;

import static dev.vitmae.export.OnnxGraphBuilder.intAttr;
import static dev.vitmae.export.OpGraph.arg;
import static dev.vitmae.export.OpGraph.out;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ops.DynamicCustomOp;

/**
 * Finds vitmae's LayerNorm on rows ({@code dev.vitmae.graph.nn.Layers#layerNormRows}, the pattern
 * {@link LayerNormFusion} describes) together with the backward pass SameDiff 1.0.0-M2.1 derives
 * for it in a gradient function, and writes both as a training step on ONNX Runtime runs them
 * fastest: the forward keeps each row's mean, {@code 1/σ} and the normalized rows {@code x̂ = (x −
 * μ)/σ}, and the backward reads them ({@code ĝ = g·gain}):
 *
 * <pre>
 * ∂bias = Σ_rows g     ∂gain = Σ_rows g·x̂     ∂x = (ĝ − mean(ĝ) − x̂·mean(ĝ·x̂)) / σ
 * </pre>
 *
 * SameDiff's gradient of the primitive form multiplies by {@code 1/σ · gain} as an outer product (a
 * matrix product with an inner dimension of 1, and two matrix-vector products backward), writes
 * both row means' gradients out as full-size broadcasts, and gathers the three paths into {@code x}
 * with adds. On the reference MAE's step at batch 512 this cut ONNX Runtime's kernel time by 7%
 * (docs/BENCHMARKS.md, run G). The forward is written in primitives, not as ONNX Runtime's {@code
 * LayerNormalization} (which can return the mean and {@code 1/σ}): its CPU kernel took 10.7 ms on
 * {@code [8192, 512]}, seven times an element-wise pass. The same values up to float rounding
 * ({@code TrainingStepExporterTest}). A match needs every intermediate read only inside the pattern
 * and none of them a requested output; anything else is left to the op-by-op translation.
 */
final class LayerNormGradFusion {
  /**
   * One LayerNorm and its gradient: rows, parameters and epsilon; the forward op whose output the
   * {@code LayerNormalization} writes, the backward {@code add_bp} at whose place the gradient
   * nodes are written, the op writing the gain's gradient, the value the rows' gradient is written
   * to, and the ops absorbed. When the rows also receive a gradient from elsewhere ({@code other},
   * e.g. the residual path), SameDiff adds the LayerNorm's two terms to it in two adds: then the
   * rows' gradient is a temporary and {@code accumulate}, the second add, writes {@code other} plus
   * it.
   */
  record Match(
      String rows,
      String gain,
      String bias,
      double epsilon,
      DifferentialFunction forward,
      DifferentialFunction backward,
      DifferentialFunction gainGradient,
      String rowsGradient,
      DifferentialFunction accumulate,
      String other,
      Set<String> absorbed) {
    String mean() {
      return forward.getOwnName() + "/mean";
    }

    String invStdDev() {
      return forward.getOwnName() + "/inv_std_dev";
    }

    /** The normalized rows {@code (x − μ)/σ}, before gain and bias. */
    String normed() {
      return forward.getOwnName() + "/normed";
    }
  }

  private final SameDiff sd;
  private final OpGraph g;
  private final Map<String, long[]> shapes;

  private LayerNormGradFusion(SameDiff sd, OpGraph g, Map<String, long[]> shapes) {
    this.sd = sd;
    this.g = g;
    this.shapes = shapes;
  }

  /** Matches keyed by the own names of both ops they write at: the forward add and the add_bp. */
  static Map<String, Match> find(
      SameDiff sd, OpGraph graph, List<DifferentialFunction> ops, Map<String, long[]> shapes) {
    LayerNormGradFusion f = new LayerNormGradFusion(sd, graph, shapes);
    Map<String, Match> matches = new HashMap<>();
    for (DifferentialFunction op : ops) {
      if (op.opName().equals("rsqrt")) {
        Match m = f.match(op);
        if (m != null) {
          matches.put(m.forward().getOwnName(), m);
          matches.put(m.backward().getOwnName(), m);
          if (m.accumulate() != null) matches.put(m.accumulate().getOwnName(), m);
        }
      }
    }
    return matches;
  }

  /**
   * Writes the forward at the forward add's place, keeping each row's mean, {@code 1/σ} and the
   * normalized rows for the backward. (Primitives, not ONNX Runtime's {@code LayerNormalization}:
   * its CPU kernel took 10.7 ms on {@code [8192, 512]}, seven times an element-wise pass.)
   */
  static void emitForward(ExportContext c, Match m) {
    DifferentialFunction op = m.forward();
    for (String name : List.of(out(op), m.mean(), m.invStdDev(), m.normed())) c.b().unique(name);
    rowMean(c, op, m.rows(), m.mean());
    String centered = c.temp(op, "centered");
    c.node("Sub", op, new String[] {m.rows(), m.mean()}, centered);
    String squared = c.temp(op, "squared");
    c.node("Mul", op, new String[] {centered, centered}, squared);
    String variance = c.temp(op, "variance");
    rowMean(c, op, squared, variance);
    String shifted = c.temp(op, "variance_eps");
    c.node("Add", op, new String[] {variance, c.scalar(op, "eps", m.epsilon())}, shifted);
    String std = c.temp(op, "std_dev");
    c.node("Sqrt", op, new String[] {shifted}, std);
    c.node("Reciprocal", op, new String[] {std}, m.invStdDev());
    c.node("Mul", op, new String[] {centered, m.invStdDev()}, m.normed());
    String scaled = c.temp(op, "scaled");
    c.node("Mul", op, new String[] {m.normed(), m.gain()}, scaled);
    c.node("Add", op, new String[] {scaled, m.bias()}, out(op));
  }

  /**
   * Writes the three gradients at the add_bp's place, from the forward's mean and 1/σ; or, at the
   * accumulating add's place, that add.
   */
  static void emitBackward(ExportContext c, Match m, DifferentialFunction at) {
    if (at == m.accumulate()) {
      c.b().unique(out(at));
      c.node("Add", at, new String[] {m.other(), m.rowsGradient()}, out(at));
      return;
    }
    DifferentialFunction op = m.backward();
    String gy = arg(op, 2);
    String biasGradient = out(op, 1);
    String gainGradient = out(m.gainGradient());
    String rowsGradient = m.rowsGradient();
    for (String name : List.of(biasGradient, gainGradient, rowsGradient)) c.b().unique(name);
    String rowsAxis = c.int64s(op, "rows_axis", 0);
    String normed = m.normed();
    c.node("ReduceSum", op, new String[] {gy, rowsAxis}, biasGradient)
        .addAttribute(intAttr("keepdims", 0));
    String gyNormed = c.temp(op, "g_normed");
    c.node("Mul", op, new String[] {gy, normed}, gyNormed);
    c.node("ReduceSum", op, new String[] {gyNormed, rowsAxis}, gainGradient)
        .addAttribute(intAttr("keepdims", 0));
    String gHat = c.temp(op, "g_hat");
    c.node("Mul", op, new String[] {gy, m.gain()}, gHat);
    String meanG = c.temp(op, "mean_g_hat");
    rowMean(c, op, gHat, meanG);
    String gHatNormed = c.temp(op, "g_hat_normed");
    c.node("Mul", op, new String[] {gHat, normed}, gHatNormed);
    String meanGNormed = c.temp(op, "mean_g_hat_normed");
    rowMean(c, op, gHatNormed, meanGNormed);
    String projection = c.temp(op, "projection");
    c.node("Mul", op, new String[] {normed, meanGNormed}, projection);
    String rejected = c.temp(op, "rejected");
    c.node("Sub", op, new String[] {gHat, projection}, rejected);
    String centeredG = c.temp(op, "centered_g");
    c.node("Sub", op, new String[] {rejected, meanG}, centeredG);
    c.node("Mul", op, new String[] {centeredG, m.invStdDev()}, rowsGradient);
  }

  /** Writes the mean of {@code x} over its last axis, kept, to {@code mean}. */
  private static void rowMean(ExportContext c, DifferentialFunction op, String x, String mean) {
    c.reduce(
        "ReduceMean",
        op,
        x,
        new long[] {-1},
        true,
        OnnxOp.REDUCE_MEAN_AXES_INPUT,
        mean + "/axes",
        mean);
  }

  private Match match(DifferentialFunction rsqrt) {
    Set<String> absorbed = new HashSet<>();
    absorbed.add(rsqrt.getOwnName());
    // Forward: c = rows − mean(rows); r = rsqrt(mean(c·c) + eps); y = c·(r · gainRow) + bias.
    DifferentialFunction addEps = producer(arg(rsqrt, 0), "add_scalar", 2, absorbed);
    DifferentialFunction var =
        addEps == null ? null : producer(arg(addEps, 0), "reduce_mean", 1, absorbed);
    DifferentialFunction square =
        var == null ? null : producer(arg(var, 0), "multiply", 2, absorbed);
    if (square == null || !arg(square, 0).equals(arg(square, 1))) return null;
    String c = arg(square, 0);
    DifferentialFunction sub = producer(c, "subtract", 4, absorbed);
    DifferentialFunction mean =
        sub == null ? null : producer(arg(sub, 1), "reduce_mean", 2, absorbed);
    String rows = sub == null ? null : arg(sub, 0);
    if (mean == null || !arg(mean, 0).equals(rows)) return null;
    if (!OpGraph.lastAxisKept(mean, shapes.get(rows))
        || !OpGraph.lastAxisKept(var, shapes.get(c))
        || shapes.get(rows).length != 2) return null;
    String r = out(rsqrt);
    DifferentialFunction scale = first(r, "matmul");
    if (scale == null || !arg(scale, 0).equals(r) || !plain(scale)) return null;
    DifferentialFunction gainRow = producer(arg(scale, 1), "reshape", 2, absorbed);
    if (gainRow == null || gainRow.argNames().length != 1) return null;
    absorbed.add(scale.getOwnName());
    DifferentialFunction norm = first(out(scale), "multiply");
    if (norm == null || !List.of(norm.argNames()).equals(List.of(c, out(scale)))) return null;
    absorbed.add(norm.getOwnName());
    DifferentialFunction shift = first(out(norm), "add");
    if (shift == null || !arg(shift, 0).equals(out(norm))) return null;
    String gain = arg(gainRow, 0);
    String bias = arg(shift, 1);
    if (!OpGraph.isParameterVector(sd, gain) || !OpGraph.isParameterVector(sd, bias)) return null;

    // Backward, from the gradient gy arriving at y.
    DifferentialFunction addBp = g.other(out(norm), shift);
    if (addBp == null
        || !addBp.opName().equals("add_bp")
        || !List.of(arg(addBp, 0), arg(addBp, 1)).equals(List.of(out(norm), bias))) return null;
    DifferentialFunction normBp = consumer(out(addBp, 0), "multiply_bp", absorbed);
    if (normBp == null
        || !List.of(arg(normBp, 0), arg(normBp, 1)).equals(List.of(c, out(scale)))
        || g.other(out(scale), norm) != normBp) return null;
    DifferentialFunction scaleBp = consumer(out(normBp, 1), "matmul_bp", absorbed);
    if (scaleBp == null
        || !List.of(arg(scaleBp, 0), arg(scaleBp, 1)).equals(List.of(r, out(gainRow)))
        || !plain(scaleBp)
        || g.other(r, scale) != scaleBp
        || g.other(out(gainRow), scale) != scaleBp) return null;
    DifferentialFunction gainGrad = consumer(out(scaleBp, 1), "reshape", absorbed);
    if (gainGrad == null || gainGrad.argNames().length != 2) return null;
    DifferentialFunction shapeOf = producer(arg(gainGrad, 1), "shape_of", 1, absorbed);
    if (shapeOf == null || !arg(shapeOf, 0).equals(gain)) return null;
    // The variance's gradient: gr · (−0.5)·pow(v + eps, −1.5).
    DifferentialFunction rsqrtBp = consumer(out(scaleBp, 0), "multiply", absorbed);
    DifferentialFunction pow = g.other(out(addEps), rsqrt);
    if (rsqrtBp == null
        || pow == null
        || !pow.opName().equals("pow")
        || !OpGraph.hasScalar(pow, -1.5)) return null;
    absorbed.add(pow.getOwnName());
    DifferentialFunction half = consumer(out(pow), "mul_scalar", absorbed);
    if (half == null
        || !OpGraph.hasScalar(half, -0.5)
        || !Set.of(rsqrtBp.argNames()).equals(Set.of(out(scaleBp, 0), out(half)))) return null;
    DifferentialFunction varBp = consumer(out(rsqrtBp), "reduce_mean_bp", absorbed);
    if (varBp == null || !arg(varBp, 0).equals(out(square)) || g.other(out(square), var) != varBp)
      return null;
    DifferentialFunction squareBp = consumer(out(varBp), "multiply_bp", absorbed);
    if (squareBp == null || !arg(squareBp, 0).equals(c) || !arg(squareBp, 1).equals(c)) return null;
    // c's three gradient paths, added in two adds.
    DifferentialFunction add1 = consumer(out(normBp, 0), "add", absorbed);
    DifferentialFunction add2 = add1 == null ? null : consumer(out(add1), "add", absorbed);
    if (add2 == null) return null;
    Set<String> leaves = new HashSet<>(List.of(add1.argNames()));
    leaves.addAll(List.of(add2.argNames()));
    leaves.remove(out(add1));
    if (!leaves.equals(Set.of(out(normBp, 0), out(squareBp, 0), out(squareBp, 1)))) return null;
    for (String leaf : leaves) {
      if (g.consumers(leaf).size() != 1 || g.requested(leaf)) return null;
    }
    Set<String> cReaders = new HashSet<>();
    g.consumers(c).forEach(op -> cReaders.add(op.getOwnName()));
    if (!cReaders.equals(
        Set.of(square.getOwnName(), norm.getOwnName(), normBp.getOwnName(), squareBp.getOwnName())))
      return null;
    // rows − mean: rows' gradient directly and through the mean.
    DifferentialFunction subBp = consumer(out(add2), "subtract_bp", absorbed);
    if (subBp == null
        || !List.of(arg(subBp, 0), arg(subBp, 1)).equals(List.of(rows, out(mean)))
        || g.other(out(mean), sub) != subBp) return null;
    DifferentialFunction meanBp = consumer(out(subBp, 1), "reduce_mean_bp", absorbed);
    if (meanBp == null || !arg(meanBp, 0).equals(rows)) return null;
    String direct = out(subBp, 0);
    String viaMean = out(meanBp);
    DifferentialFunction first = g.single(direct, "add");
    DifferentialFunction second = g.single(viaMean, "add");
    if (first == null || second == null) return null;
    double eps = OnnxOp.scalarOf(addEps);
    if (first == second) {
      if (!Set.of(first.argNames()).equals(Set.of(direct, viaMean))) return null;
      absorbed.add(first.getOwnName());
      return new Match(
          rows, gain, bias, eps, shift, addBp, gainGrad, out(first), null, null, absorbed);
    }
    // (other + direct) + viaMean, or (other + viaMean) + direct: rows' gradient from elsewhere.
    if (g.single(out(second)) == first) {
      DifferentialFunction swap = first;
      first = second;
      second = swap;
      String v = direct;
      direct = viaMean;
      viaMean = v;
    }
    if (g.single(out(first)) != second
        || !Set.of(second.argNames()).equals(Set.of(out(first), viaMean))) return null;
    String other = arg(first, 0).equals(direct) ? arg(first, 1) : arg(first, 0);
    if (other.equals(direct) || !Set.of(first.argNames()).equals(Set.of(other, direct)))
      return null;
    absorbed.add(first.getOwnName());
    String temp = addBp.getOwnName() + "/rows_gradient";
    return new Match(rows, gain, bias, eps, shift, addBp, gainGrad, temp, second, other, absorbed);
  }

  private DifferentialFunction producer(
      String value, String opName, int users, Set<String> absorbed) {
    DifferentialFunction p = g.producer(value, opName, users);
    if (p != null) absorbed.add(p.getOwnName());
    return p;
  }

  private DifferentialFunction consumer(String value, String opName, Set<String> absorbed) {
    DifferentialFunction op = g.single(value, opName);
    if (op != null) absorbed.add(op.getOwnName());
    return op;
  }

  /** The first reader of {@code value} of kind {@code opName} (the forward one), or null. */
  private DifferentialFunction first(String value, String opName) {
    if (g.requested(value)) return null;
    for (DifferentialFunction op : g.consumers(value)) {
      if (op.opName().equals(opName)) return op;
    }
    return null;
  }

  /** A matmul or matmul_bp without transposes or scaling. */
  private static boolean plain(DifferentialFunction op) {
    DynamicCustomOp mm = (DynamicCustomOp) op;
    double[] t = mm.tArgs();
    if (t.length > 0 && (t[0] != 1.0 || (t.length > 1 && t[1] != 0.0))) return false;
    for (long flag : mm.iArgs()) {
      if (flag != 0) return false;
    }
    return true;
  }
}
