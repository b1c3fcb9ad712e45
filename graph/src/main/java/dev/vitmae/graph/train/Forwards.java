package dev.vitmae.graph.train;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The forward passes a task runs outside its training step — I-JEPA's target encoder and its test
 * loss — on the executor of its trainer's engine ({@link StepEngine.Factory#forward}: ONNX Runtime
 * for the ort engine, SameDiff for the samediff one). Each graph and output list is opened once, at
 * its first run, and reused; the graph's variables are read at every run, so weights changed in
 * place (the EMA, parameters synced from the engine) are seen.
 *
 * <p>A {@link Trainer} hands its tasks one ({@link Task#forwardsOn}), points it at its engine and
 * closes what it opened when the trainer closes (reopened at the next use). A task used without a
 * trainer runs on SameDiff ({@link #sameDiff()}).
 */
public final class Forwards implements AutoCloseable {
  private StepEngine.Factory engine;
  private final Map<SameDiff, Map<List<String>, StepEngine.Forward>> open = new IdentityHashMap<>();

  private Forwards(StepEngine.Factory engine) {
    this.engine = engine;
  }

  /** Forward passes on SameDiff: what a task uses until a trainer gives it its own. */
  public static Forwards sameDiff() {
    return new Forwards(SameDiffEngine.FACTORY);
  }

  /** Runs later passes on {@code engine}'s executor (closing those opened on another). */
  void engine(StepEngine.Factory engine) {
    if (engine == this.engine) return;
    close();
    this.engine = Objects.requireNonNull(engine, "engine");
  }

  /** The outputs {@code outputs} of {@code graph} for {@code inputs}. */
  public Map<String, INDArray> outputs(
      SameDiff graph, Map<String, INDArray> inputs, String... outputs) {
    List<String> names = List.of(outputs);
    StepEngine.Forward forward =
        open.computeIfAbsent(graph, g -> new HashMap<>())
            .computeIfAbsent(names, n -> engine.forward(graph, n));
    return forward.run(inputs);
  }

  /** The one output {@code output} of {@code graph} for {@code inputs}. */
  public INDArray output(SameDiff graph, Map<String, INDArray> inputs, String output) {
    return outputs(graph, inputs, output).get(output);
  }

  /** Closes every pass opened so far; later runs open them again. */
  @Override
  public void close() {
    open.values().forEach(byOutputs -> byOutputs.values().forEach(StepEngine.Forward::close));
    open.clear();
  }
}
