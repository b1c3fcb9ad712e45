package dev.vitmae.graph.train;

import dev.vitmae.graph.config.TrainConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Adam with decoupled weight decay (AdamW when {@code weightDecay > 0}), updating parameters in
 * place, as {@code torch.optim.AdamW}. Its moments are plain arrays, saved in checkpoints, so a
 * resumed run continues bit-for-bit.
 */
public final class Adam {
  private final TrainConfig config;
  private final Map<String, INDArray> m = new LinkedHashMap<>();
  private final Map<String, INDArray> v = new LinkedHashMap<>();

  public Adam(TrainConfig config) {
    this.config = config;
  }

  /**
   * One update of every parameter in {@code grads}.
   *
   * @param t the 1-based step number, for bias correction
   */
  public void step(Map<String, INDArray> params, Map<String, INDArray> grads, double lr, long t) {
    step(params, grads, lr, t, Map.of());
  }

  /**
   * One update with per-parameter learning-rate scales (absent: 1; decoupled weight decay is scaled
   * with the lr, as in torch's parameter groups).
   */
  public void step(
      Map<String, INDArray> params,
      Map<String, INDArray> grads,
      double baseLr,
      long t,
      Map<String, Double> lrScales) {
    double bc1 = 1 - Math.pow(config.beta1(), t);
    double bc2 = 1 - Math.pow(config.beta2(), t);
    for (Map.Entry<String, INDArray> e : grads.entrySet()) {
      double lr = baseLr * lrScales.getOrDefault(e.getKey(), 1.0);
      INDArray w = params.get(e.getKey());
      INDArray g = e.getValue();
      INDArray mi = m.computeIfAbsent(e.getKey(), k -> Nd4j.zeros(w.dataType(), w.shape()));
      INDArray vi = v.computeIfAbsent(e.getKey(), k -> Nd4j.zeros(w.dataType(), w.shape()));
      mi.muli(config.beta1()).addi(g.mul(1 - config.beta1()));
      vi.muli(config.beta2()).addi(g.mul(g).muli(1 - config.beta2()));
      if (config.weightDecay() > 0) w.subi(w.mul(lr * config.weightDecay()));
      INDArray denom = Transforms.sqrt(vi, true).divi(Math.sqrt(bc2)).addi(config.epsilon());
      w.subi(mi.div(denom).muli(lr / bc1));
    }
  }

  /** First moments by parameter name (live arrays). */
  public Map<String, INDArray> firstMoments() {
    return m;
  }

  /** Second moments by parameter name (live arrays). */
  public Map<String, INDArray> secondMoments() {
    return v;
  }
}
