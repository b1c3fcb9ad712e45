package dev.vitmae.graph.train;

import dev.vitmae.graph.config.TrainConfig;
import java.util.HashMap;
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
  private final Map<String, INDArray[]> scratch = new HashMap<>();

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
      // Every intermediate goes through two scratch arrays per parameter, kept between steps: ND4J
      // frees a temporary's native memory only when the garbage collector runs, and a few fresh
      // temporaries per parameter per step grew the resident memory by hundreds of MB.
      INDArray[] tmp = scratch.computeIfAbsent(e.getKey(), k -> scratchFor(w));
      INDArray a = tmp[0];
      INDArray b = tmp[1];
      // m ← β₁·m + (1−β₁)·g
      mi.muli(config.beta1()).addi(a.assign(g).muli(1 - config.beta1()));
      // v ← β₂·v + (1−β₂)·g²
      vi.muli(config.beta2()).addi(a.assign(g).muli(g).muli(1 - config.beta2()));
      // w ← w − w·(lr·wd), then w − m / (√v / √(1−β₂ᵗ) + ε) · lr / (1−β₁ᵗ)
      if (config.weightDecay() > 0) w.subi(a.assign(w).muli(lr * config.weightDecay()));
      Transforms.sqrt(a.assign(vi), false).divi(Math.sqrt(bc2)).addi(config.epsilon());
      w.subi(b.assign(mi).divi(a).muli(lr / bc1));
    }
  }

  private static INDArray[] scratchFor(INDArray w) {
    return new INDArray[] {
      Nd4j.create(w.dataType(), w.shape()), Nd4j.create(w.dataType(), w.shape())
    };
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
