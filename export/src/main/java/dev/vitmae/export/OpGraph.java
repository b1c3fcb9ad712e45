package dev.vitmae.export;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.ops.BaseReduceOp;
import org.nd4j.linalg.api.ops.BaseScalarOp;

/**
 * Who produces and who reads each value among the ops an export walks: what the pattern matchers
 * ({@link LayerNormFusion}, {@link GeluFusion}, {@link LayerNormGradFusion}) need to prove that the
 * intermediates they absorb are read nowhere else.
 */
final class OpGraph {
  private static final double SCALAR_TOLERANCE = 1e-6;

  private final Map<String, DifferentialFunction> producers = new HashMap<>();
  private final Map<String, List<DifferentialFunction>> consumers = new HashMap<>();
  private final Set<String> requested;

  /** The graph of {@code ops}; {@code requested} are the export's outputs (never absorbed). */
  OpGraph(List<DifferentialFunction> ops, List<String> requested) {
    this.requested = Set.copyOf(requested);
    for (DifferentialFunction op : ops) {
      for (String out : op.outputVariablesNames()) producers.put(out, op);
      for (String in : new LinkedHashSet<>(List.of(op.argNames()))) {
        consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(op);
      }
    }
  }

  /** The ops reading {@code value}, each once even when it reads the value twice. */
  List<DifferentialFunction> consumers(String value) {
    return consumers.getOrDefault(value, List.of());
  }

  /** Whether {@code value} is one of the export's outputs. */
  boolean requested(String value) {
    return requested.contains(value);
  }

  /**
   * The op of kind {@code opName} writing {@code value}, when exactly {@code users} ops read it and
   * it is not requested; else null.
   */
  DifferentialFunction producer(String value, String opName, int users) {
    DifferentialFunction p = producers.get(value);
    if (p == null || !p.opName().equals(opName) || requested(value)) return null;
    return consumers(value).size() == users ? p : null;
  }

  /**
   * The only op reading {@code value}, when it is of kind {@code opName} and the value not
   * requested.
   */
  DifferentialFunction single(String value, String opName) {
    List<DifferentialFunction> users = consumers(value);
    if (users.size() != 1 || requested(value)) return null;
    return users.get(0).opName().equals(opName) ? users.get(0) : null;
  }

  /** The only op reading {@code value} (any kind), the value not requested; else null. */
  DifferentialFunction single(String value) {
    List<DifferentialFunction> users = consumers(value);
    return users.size() == 1 && !requested(value) ? users.get(0) : null;
  }

  /** The reader of {@code value} other than {@code known}, when exactly two ops read it. */
  DifferentialFunction other(String value, DifferentialFunction known) {
    List<DifferentialFunction> users = consumers(value);
    if (users.size() != 2 || !users.contains(known) || requested(value)) return null;
    return users.get(0) == known ? users.get(1) : users.get(0);
  }

  /** Whether {@code op} is a scalar op whose scalar is {@code value} (to float precision). */
  static boolean hasScalar(DifferentialFunction op, double value) {
    return op instanceof BaseScalarOp
        && Math.abs(OnnxOp.scalarOf(op) - value) <= SCALAR_TOLERANCE * Math.max(1, Math.abs(value));
  }

  /** Whether {@code reduce} reduces the last axis of its {@code rank}-d input, keeping it. */
  static boolean lastAxisKept(DifferentialFunction reduce, long[] inputShape) {
    if (!(reduce instanceof BaseReduceOp r) || inputShape == null) return false;
    int[] dims = r.getDimensions();
    if (dims == null || dims.length != 1 || !r.isKeepDims()) return false;
    return dims[0] == inputShape.length - 1 || dims[0] == -1;
  }

  /** Whether {@code name} is a rank-1 trainable variable of {@code sd} (a gain, a bias). */
  static boolean isParameterVector(SameDiff sd, String name) {
    var v = sd.getVariable(name);
    return v.getVariableType() == VariableType.VARIABLE
        && v.getArr() != null
        && v.getArr().rank() == 1;
  }

  static String out(DifferentialFunction op) {
    return op.outputVariablesNames()[0];
  }

  static String out(DifferentialFunction op, int i) {
    return op.outputVariablesNames()[i];
  }

  static String arg(DifferentialFunction op, int i) {
    return op.argNames()[i];
  }
}
