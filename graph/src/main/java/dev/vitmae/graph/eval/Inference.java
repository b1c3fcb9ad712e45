package dev.vitmae.graph.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs an inference graph on host arrays: inputs by placeholder name, each {@code batch × (the
 * placeholder's other dimensions)} floats, row-major; outputs the same way. The SameDiff side of
 * parity checks and benchmarks, without ND4J types in the caller.
 */
public final class Inference {
  private Inference() {}

  /** The outputs {@code outputs} of {@code sd} on {@code inputs}, as row-major floats. */
  public static Map<String, float[]> run(
      SameDiff sd, Map<String, float[]> inputs, int batch, List<String> outputs) {
    Map<String, INDArray> result =
        sd.output(feeds(sd, inputs, batch), outputs.toArray(String[]::new));
    Map<String, float[]> out = new LinkedHashMap<>();
    for (String name : outputs) out.put(name, result.get(name).dup('c').data().asFloat());
    return out;
  }

  /**
   * A run of {@code sd} on {@code inputs} with the input arrays prepared now, so that timing the
   * returned runnable measures the graph alone.
   */
  public static Runnable prepare(
      SameDiff sd, Map<String, float[]> inputs, int batch, List<String> outputs) {
    Map<String, INDArray> feeds = feeds(sd, inputs, batch);
    String[] names = outputs.toArray(String[]::new);
    return () -> sd.output(feeds, names);
  }

  private static Map<String, INDArray> feeds(SameDiff sd, Map<String, float[]> inputs, int batch) {
    Map<String, INDArray> feeds = new LinkedHashMap<>();
    for (var e : inputs.entrySet()) {
      if (!sd.hasVariable(e.getKey())) {
        throw new IllegalArgumentException("the graph has no input '" + e.getKey() + "'");
      }
      long[] shape = sd.getVariable(e.getKey()).placeholderShape().clone();
      shape[0] = batch;
      feeds.put(e.getKey(), Nd4j.create(e.getValue(), shape, 'c'));
    }
    return feeds;
  }
}
