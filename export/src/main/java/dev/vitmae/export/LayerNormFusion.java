package dev.vitmae.export;

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
 * Finds vitmae's LayerNorm, written in SameDiff from primitives (the stock op has no epsilon), so
 * the exporter can write it as one native ONNX {@code LayerNormalization} (opset 17+):
 *
 * <pre>
 * m = reduce_mean(rows, last axis, keep)   c = subtract(rows, m)
 * v = reduce_mean(multiply(c, c), last, keep)       r = rsqrt(add_scalar(v, eps))
 * s = matmul(r, reshape(gain, [1, d]))   y = add(multiply(c, s), bias)
 * </pre>
 *
 * on token rows {@code [N, d]} ({@code Layers#layerNormRows}), or wrapped as {@code rows =
 * reshape(x, [-1, d])} ... {@code reshape(y, shape_of(x))} for any rank ({@code Layers#layerNorm});
 * the wrapper's reshapes are absorbed too.
 *
 * <p>({@code dev.vitmae.graph.nn.Layers#layerNorm} explains that form: it keeps broadcasting
 * multiplies out of the backward pass.) A match needs every intermediate to be used only inside the
 * pattern and {@code gain}, {@code bias} to be rank-1 parameters; anything else is left to the
 * op-by-op translation.
 */
final class LayerNormFusion {
  /**
   * One LayerNorm: its input, parameters and epsilon, the op whose output it replaces, and the ops
   * it absorbs.
   */
  record Match(
      String input, String gain, String bias, double epsilon, String last, Set<String> absorbed) {}

  private final SameDiff sd;
  private final OpGraph g;
  private final Map<String, long[]> shapes;

  private LayerNormFusion(SameDiff sd, OpGraph g, Map<String, long[]> shapes) {
    this.sd = sd;
    this.g = g;
    this.shapes = shapes;
  }

  /**
   * Matches keyed by the own name of the pattern's last op (the final {@code add} or {@code
   * reshape}).
   */
  static Map<String, Match> find(
      SameDiff sd, OpGraph graph, List<DifferentialFunction> ops, Map<String, long[]> shapes) {
    LayerNormFusion f = new LayerNormFusion(sd, graph, shapes);
    Map<String, Match> matches = new HashMap<>();
    for (DifferentialFunction op : ops) {
      if (op.opName().equals("rsqrt")) {
        Match m = f.match(op);
        if (m != null) matches.put(m.last(), m);
      }
    }
    return matches;
  }

  private Match match(DifferentialFunction rsqrt) {
    Set<String> absorbed = new HashSet<>();
    DifferentialFunction addEps = producer(rsqrt, 0, "add_scalar", 1, absorbed);
    DifferentialFunction var =
        addEps == null ? null : producer(addEps, 0, "reduce_mean", 1, absorbed);
    DifferentialFunction square = var == null ? null : producer(var, 0, "multiply", 1, absorbed);
    if (square == null || !square.argNames()[0].equals(square.argNames()[1])) return null;
    // c = rows - mean feeds c·c and the normalizing multiply.
    DifferentialFunction sub = producer(square, 0, "subtract", 2, absorbed);
    DifferentialFunction mean = sub == null ? null : producer(sub, 1, "reduce_mean", 1, absorbed);
    if (mean == null || !mean.argNames()[0].equals(sub.argNames()[0])) return null;
    if (!lastAxisKeep(mean) || !lastAxisKeep(var)) return null;
    // scale = rsqrt(...) [rows, 1] times the gain as a row [1, d].
    DifferentialFunction scale = onlyConsumer(out(rsqrt), "matmul", 0);
    if (scale == null || !plainMatmul(scale)) return null;
    DifferentialFunction gainRow = producer(scale, 1, "reshape", 1, absorbed);
    if (gainRow == null || gainRow.argNames().length != 1) return null;
    DifferentialFunction norm = onlyConsumer(out(scale), "multiply", 1);
    if (norm == null || !List.of(norm.argNames()).equals(List.of(out(sub), out(scale))))
      return null;
    DifferentialFunction shift = onlyConsumer(out(norm), "add", 0);
    if (shift == null) return null;
    String gain = gainRow.argNames()[0];
    String bias = shift.argNames()[1];
    if (!OpGraph.isParameterVector(sd, gain) || !OpGraph.isParameterVector(sd, bias)) return null;
    absorbed.addAll(
        List.of(rsqrt.getOwnName(), scale.getOwnName(), norm.getOwnName(), shift.getOwnName()));
    String input = sub.argNames()[0];
    DifferentialFunction last = shift;
    // Any-rank form: rows = reshape(x, [-1, d]) ... reshape(y, shape_of(x)).
    Set<String> wrapper = new HashSet<>();
    DifferentialFunction rows = producer(sub, 0, "reshape", 2, wrapper);
    DifferentialFunction back = onlyConsumer(out(shift), "reshape", 0);
    if (rows != null
        && rows.argNames().length == 1
        && back != null
        && back.argNames().length == 2) {
      DifferentialFunction shapeOf = producer(back, 1, "shape_of", 1, wrapper);
      if (shapeOf != null && shapeOf.argNames()[0].equals(rows.argNames()[0])) {
        absorbed.addAll(wrapper);
        absorbed.add(back.getOwnName());
        input = rows.argNames()[0];
        last = back;
      }
    }
    return new Match(input, gain, bias, OnnxOp.scalarOf(addEps), last.getOwnName(), absorbed);
  }

  /** A matmul without transposes or scaling. */
  private static boolean plainMatmul(DifferentialFunction op) {
    double[] t = ((DynamicCustomOp) op).tArgs();
    if (t.length > 0 && (t[0] != 1.0 || (t.length > 1 && t[1] != 0.0))) return false;
    for (long flag : ((DynamicCustomOp) op).iArgs()) {
      if (flag != 0) return false;
    }
    return true;
  }

  /**
   * The op of kind {@code opName} producing argument {@code arg} of {@code op}, whose output has
   * exactly {@code users} consumers (all inside the pattern) and is not a graph output.
   */
  private DifferentialFunction producer(
      DifferentialFunction op, int arg, String opName, int users, Set<String> absorbed) {
    DifferentialFunction p = g.producer(op.argNames()[arg], opName, users);
    if (p != null) absorbed.add(p.getOwnName());
    return p;
  }

  /** The single op of kind {@code opName} that reads {@code value}, as its argument {@code arg}. */
  private DifferentialFunction onlyConsumer(String value, String opName, int arg) {
    DifferentialFunction op = g.single(value, opName);
    return op != null && op.argNames()[arg].equals(value) ? op : null;
  }

  private boolean lastAxisKeep(DifferentialFunction reduce) {
    return OpGraph.lastAxisKept(reduce, shapes.get(reduce.argNames()[0]));
  }
}
