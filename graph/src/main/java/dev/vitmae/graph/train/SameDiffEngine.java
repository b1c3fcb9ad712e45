package dev.vitmae.graph.train;

import dev.vitmae.graph.model.Names;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The reference engine: ND4J executes the SameDiff graph and its gradient function, micro-batch by
 * micro-batch, and {@link Adam} updates the graph's own parameter arrays in place.
 */
public final class SameDiffEngine implements StepEngine {
  /** The engine's name in checkpoints, metrics and {@code --engine}. */
  public static final String NAME = "samediff";

  /** Opens SameDiff engines. */
  public static final Factory FACTORY =
      new Factory() {
        @Override
        public String name() {
          return NAME;
        }

        @Override
        public StepEngine open(Setup setup) {
          return new SameDiffEngine(setup);
        }
      };

  /** SameDiff's own forward pass of {@code graph}: {@code graph.output(inputs, outputs)}. */
  static Forward forward(SameDiff graph, List<String> outputs) {
    String[] names = outputs.toArray(String[]::new);
    return new Forward() {
      @Override
      public Map<String, INDArray> run(Map<String, INDArray> inputs) {
        return graph.output(inputs, names);
      }

      @Override
      public void close() {}
    };
  }

  private final Setup setup;
  private final SameDiff sd;
  private final Adam adam;

  private SameDiffEngine(Setup setup) {
    this.setup = setup;
    this.sd = setup.graph();
    this.adam = new Adam(setup.config());
    adam.firstMoments().putAll(setup.firstMoments());
    adam.secondMoments().putAll(setup.secondMoments());
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public double step(Map<String, INDArray> feeds, double lr, long t) {
    Trainer.Gradients g = gradients(feeds);
    if (Double.isFinite(g.loss())) adam.step(params(), g.byParam(), lr, t, setup.lrScales());
    return g.loss();
  }

  /**
   * Loss and gradients of the batch in {@code feeds} (each feed has the batch as its first
   * dimension). With micro-batches, the chunks' losses and gradients are averaged weighted by chunk
   * size: the full batch's values, because every vitmae loss weighs each example equally.
   */
  Trainer.Gradients gradients(Map<String, INDArray> feeds) {
    long n = feeds.values().iterator().next().size(0);
    int micro = setup.config().microBatchSize();
    long chunk = micro > 0 ? Math.min(n, micro) : n;
    double loss = 0;
    Map<String, INDArray> grads = new LinkedHashMap<>();
    List<String> trainable = setup.trainable();
    for (long from = 0; from < n; from += chunk) {
      long to = Math.min(n, from + chunk);
      double weight = (double) (to - from) / n;
      OutAndGrad og =
          sd.calculateGradientsAndOutputs(
              StepEngine.rows(feeds, from, to), List.of(Names.LOSS), trainable);
      loss += weight * og.getOutputs().get(Names.LOSS).getDouble(0);
      og.getGradients().forEach((name, g) -> grads.merge(name, g.mul(weight), INDArray::addi));
      if (setup.memoryPolicy() == MemoryPolicy.COLLECT_EACH_MICRO_BATCH) System.gc();
    }
    return new Trainer.Gradients(loss, grads);
  }

  @Override
  public Map<String, INDArray> params() {
    Map<String, INDArray> out = new LinkedHashMap<>();
    for (String name : setup.paramNames()) out.put(name, sd.getArrForVarName(name));
    return out;
  }

  @Override
  public Map<String, INDArray> firstMoments() {
    return adam.firstMoments();
  }

  @Override
  public Map<String, INDArray> secondMoments() {
    return adam.secondMoments();
  }

  @Override
  public void syncGraph() {}

  @Override
  public void close() {}
}
