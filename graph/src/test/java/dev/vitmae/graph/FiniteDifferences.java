package dev.vitmae.graph;

import dev.vitmae.graph.train.GradFunction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Checks SameDiff's gradients against central finite differences, in double precision. (ND4J's own
 * GradCheckUtil does not work with float placeholders in 1.0.0-M2.1.)
 */
public final class FiniteDifferences {
  private static final double STEP = 1e-6;

  private FiniteDifferences() {}

  /**
   * Absolute differences below this are finite-difference noise (a loss of order 1 in double
   * precision, step 1e-6), not an error; DL4J's gradient checks use the same idea.
   */
  public static final double MIN_ABSOLUTE_ERROR = 1e-9;

  /** One checked parameter element. */
  public record Probe(String variable, long index, double analytic, double numeric) {
    /** |analytic − numeric| / max(|analytic|, |numeric|), or 0 below the absolute noise floor. */
    public double relativeError() {
      double diff = Math.abs(analytic - numeric);
      if (diff < MIN_ABSOLUTE_ERROR) return 0;
      return diff / Math.max(Math.abs(analytic), Math.abs(numeric));
    }
  }

  /**
   * Compares d(loss)/d(param) for up to {@code perVariable} random elements of every trainable
   * variable (all elements of small ones). The graph must be built in {@link DataType#DOUBLE}.
   */
  public static List<Probe> check(
      SameDiff sd, Map<String, INDArray> feeds, String loss, int perVariable, long seed) {
    List<String> params =
        sd.variables().stream()
            .filter(v -> v.getVariableType() == VariableType.VARIABLE)
            .map(SDVariable::name)
            .toList();
    if (params.isEmpty()) throw new IllegalArgumentException("graph has no trainable variables");
    if (sd.getFunction("grad") == null) GradFunction.create(sd);
    Map<String, INDArray> grads = sd.calculateGradients(feeds, params);
    SplittableRandom rng = new SplittableRandom(seed);
    List<Probe> probes = new ArrayList<>();
    for (String name : params) {
      INDArray w = sd.getArrForVarName(name);
      if (w.dataType() != DataType.DOUBLE) {
        throw new IllegalArgumentException(name + " is " + w.dataType() + ": check in DOUBLE");
      }
      INDArray flat = w.reshape(w.length());
      INDArray g = grads.get(name).reshape(w.length());
      long count = Math.min(perVariable, w.length());
      for (int k = 0; k < count; k++) {
        long i = count == w.length() ? k : rng.nextLong(w.length());
        double original = flat.getDouble(i);
        flat.putScalar(i, original + STEP);
        double plus = lossValue(sd, feeds, loss);
        flat.putScalar(i, original - STEP);
        double minus = lossValue(sd, feeds, loss);
        flat.putScalar(i, original);
        probes.add(new Probe(name, i, g.getDouble(i), (plus - minus) / (2 * STEP)));
      }
    }
    return probes;
  }

  /** The worst probe, for assertion messages. */
  public static Probe worst(List<Probe> probes) {
    Probe worst = probes.get(0);
    for (Probe p : probes) if (p.relativeError() > worst.relativeError()) worst = p;
    return worst;
  }

  private static double lossValue(SameDiff sd, Map<String, INDArray> feeds, String loss) {
    return sd.output(feeds, loss).get(loss).getDouble(0);
  }
}
