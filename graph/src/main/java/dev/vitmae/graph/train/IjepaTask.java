package dev.vitmae.graph.train;

import dev.vitmae.contract.MetadataKey;
import dev.vitmae.contract.TensorNames;
import dev.vitmae.datasets.Batches;
import dev.vitmae.datasets.ImageSource;
import dev.vitmae.datasets.masks.MultiBlockMaskSampler;
import dev.vitmae.datasets.masks.MultiBlockMasks;
import dev.vitmae.graph.config.IjepaConfig;
import dev.vitmae.graph.config.Pooling;
import dev.vitmae.graph.config.RecordJson;
import dev.vitmae.graph.config.ViTConfig;
import dev.vitmae.graph.model.Ijepa;
import dev.vitmae.graph.model.Names;
import dev.vitmae.graph.model.VitEncoder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * I-JEPA pre-training, ijepa's train step in three parts: the target encoder's tokens of the batch
 * (forward only, in {@link #feeds}), the context encoder + predictor loss and its gradient (the
 * {@link Trainer}), then the momentum update of the target encoder ({@link #afterStep}).
 *
 * <p>The target encoder is a second graph, the inference encoder of {@link VitEncoder#build}, whose
 * weights are the exponential moving average of the context encoder's {@code encoder/} weights;
 * they are checkpointed as the {@code ema} tensors. Its forward pass and the test loss run through
 * the trainer's {@link Forwards}: on ONNX Runtime when the trainer trains on the ort engine. Masks
 * come from {@link MultiBlockMaskSampler#sampleRagged} (every context patch kept), seeded per step
 * like the MAE's. Holds state: one instance per trainer.
 */
public final class IjepaTask implements Task {
  /** Evaluation masks use this seed, whatever the training seed (as {@link MaeTask}'s). */
  public static final long EVAL_MASK_SEED = MaeTask.EVAL_MASK_SEED;

  private final IjepaConfig config;
  private final MultiBlockMaskSampler sampler;
  private SameDiff target;
  private final Map<String, INDArray> ema = new LinkedHashMap<>();
  private Forwards forwards = Forwards.sameDiff();

  public IjepaTask(IjepaConfig config) {
    this.config = config;
    this.sampler = new MultiBlockMaskSampler(config.masks());
  }

  public IjepaConfig config() {
    return config;
  }

  @Override
  public String kind() {
    return Tasks.IJEPA;
  }

  /**
   * {@code encoder}: the target (EMA) encoder, the one ijepa evaluates; {@code predictor}: the
   * context encoder + predictor ({@code images}, {@code context_mask}, {@code target_mask} → {@code
   * predicted_tokens}).
   */
  @Override
  public List<InferenceModel> inferenceModels() {
    ViTConfig encoder = config.encoder().withPool(Pooling.MEAN);
    Map<String, String> predictor =
        new java.util.LinkedHashMap<>(InferenceModel.imageMetadata(encoder));
    MetadataKey.CONTEXT_MASK.put(
        predictor,
        "float32 [batch, num_patches], 1 = hidden from the context encoder, 0 = context");
    MetadataKey.TARGET_MASK.put(
        predictor,
        "float32 [batch, num_patches], 1 = target patch to predict (outside the context), 0 = not");
    MetadataKey.PREDICTED_TOKENS.put(
        predictor, "layer-normalized target-encoder features, meaningful at target patches");
    return List.of(
        VitTask.encoderModel(
            encoder,
            InferenceModel.Weights.EMA,
            Map.ofEntries(MetadataKey.WEIGHTS.entry("target encoder (EMA)"))),
        new InferenceModel(
            InferenceModel.PREDICTOR,
            List.of(TensorNames.PREDICTED_TOKENS),
            InferenceModel.Weights.PARAMS,
            predictor,
            dtype -> Ijepa.buildPredictor(config, dtype, 0),
            (batch, seed) -> {
              MultiBlockMasks masks = sampler.sampleRagged(batch, seed);
              int n = config.encoder().numPatches();
              return Map.of(
                  TensorNames.CONTEXT_MASK,
                  contextMask(masks, n),
                  TensorNames.TARGET_MASK,
                  targetMask(masks, 0, n));
            }));
  }

  @Override
  public String configJson() {
    return RecordJson.write(config);
  }

  @Override
  public SameDiff build(DataType dtype, long seed) {
    return Ijepa.build(config, dtype, seed);
  }

  /** The target encoder starts as a copy of the context encoder (ijepa's {@code deepcopy}). */
  @Override
  public void paramsSet(Map<String, INDArray> params) {
    if (target == null) {
      DataType dtype = params.values().iterator().next().dataType();
      target = VitEncoder.build(config.encoder().withPool(Pooling.MEAN), dtype, 0);
      for (SDVariable v : target.variables()) {
        if (v.getVariableType() == VariableType.VARIABLE) ema.put(v.name(), v.getArr());
      }
    }
    ema.forEach((name, t) -> t.assign(param(params, name)));
  }

  /** The target encoder's tokens and the evaluation loss run on the trainer's engine. */
  @Override
  public void forwardsOn(Forwards forwards) {
    this.forwards = forwards;
  }

  @Override
  public boolean schedulesOverRun() {
    return true;
  }

  /** The EMA momentum after step {@code step} of {@code totalSteps}. */
  public double momentumAt(long step, long totalSteps) {
    return config.momentumAt(step, totalSteps);
  }

  /** {@code target ← m·target + (1 − m)·context} with ijepa's linear momentum schedule. */
  @Override
  public void afterStep(Map<String, INDArray> params, long step, long totalSteps) {
    double m = config.momentumAt(step, totalSteps);
    ema.forEach((name, t) -> t.muli(m).addi(param(params, name).mul(1 - m)));
  }

  private static INDArray param(Map<String, INDArray> params, String name) {
    INDArray p = params.get(name);
    if (p == null) throw new IllegalStateException("the context encoder has no weight " + name);
    return p;
  }

  @Override
  public Map<String, INDArray> ema() {
    return ema;
  }

  /** The target encoder graph (EMA weights): {@code images} → {@code tokens}, {@code embedding}. */
  public SameDiff targetEncoder() {
    if (target == null) throw new IllegalStateException("no parameters set yet");
    return target;
  }

  @Override
  public Map<String, INDArray> feeds(Batch batch) {
    return feeds(batch.images(), sampler.sampleRagged(batch.size(), batch.seed()));
  }

  /** The training graph's inputs for {@code images [B, C, H, W]} and their masks. */
  public Map<String, INDArray> feeds(INDArray images, MultiBlockMasks masks) {
    int batch = (int) images.size(0);
    int n = config.encoder().numPatches();
    int blocks = config.masks().nPred();
    float[] hidden = contextMask(masks, n);
    float[] targets = new float[batch * blocks * n];
    for (int b = 0; b < batch; b++) {
      for (int j = 0; j < blocks; j++) {
        for (int index : masks.target()[j][b]) targets[(b * blocks + j) * n + index] = 1f;
      }
    }
    Map<String, INDArray> feeds = new LinkedHashMap<>();
    feeds.put(TensorNames.IMAGES, images);
    feeds.put(
        TensorNames.CONTEXT_MASK,
        Nd4j.create(hidden, new long[] {batch, n}, 'c').castTo(images.dataType()));
    feeds.put(
        Names.TARGET_MASKS,
        Nd4j.create(targets, new long[] {batch, blocks, n}, 'c').castTo(images.dataType()));
    feeds.put(
        Names.TARGET_TOKENS,
        forwards.output(targetEncoder(), Map.of(TensorNames.IMAGES, images), TensorNames.TOKENS));
    return feeds;
  }

  /**
   * The {@code context_mask} rows {@code [B·n]} of {@code masks}: 1 = hidden from the context
   * encoder.
   */
  public static float[] contextMask(MultiBlockMasks masks, int n) {
    float[] hidden = new float[masks.batch() * n];
    java.util.Arrays.fill(hidden, 1f);
    for (int b = 0; b < masks.batch(); b++) {
      for (int index : masks.context()[0][b]) hidden[b * n + index] = 0f;
    }
    return hidden;
  }

  /** The {@code target_mask} rows {@code [B·n]} of target block {@code block}: 1 = target. */
  public static float[] targetMask(MultiBlockMasks masks, int block, int n) {
    float[] target = new float[masks.batch() * n];
    for (int b = 0; b < masks.batch(); b++) {
      for (int index : masks.target()[block][b]) target[b * n + index] = 1f;
    }
    return target;
  }

  @Override
  public String metricName() {
    return "test_loss";
  }

  /**
   * The I-JEPA loss on {@code data} with fixed masks (image i's depend only on i), averaged over
   * all target patches, so the figure does not depend on the batch size. A falling loss alone does
   * not show useful features (a collapsed encoder predicts its constant targets perfectly): the
   * linear probe does.
   */
  @Override
  public double evaluate(SameDiff sd, Forwards forwards, ImageSource data, int batchSize) {
    double sum = 0;
    double count = 0;
    for (int from = 0; from < data.count(); from += batchSize) {
      int[] idx = Task.range(from, Math.min(data.count(), from + batchSize));
      Map<String, INDArray> feeds = feeds(Task.images(data, idx), evalMasks(idx));
      double targets = feeds.get(Names.TARGET_MASKS).sumNumber().doubleValue();
      sum += forwards.output(sd, feeds, Names.LOSS).getDouble(0) * targets;
      count += targets;
    }
    return sum / count;
  }

  /** Masks of the images {@code idx}: one seeded draw per image index. */
  MultiBlockMasks evalMasks(int[] idx) {
    int blocks = config.masks().nPred();
    int[][][] context = new int[1][idx.length][];
    int[][][] target = new int[blocks][idx.length][];
    for (int i = 0; i < idx.length; i++) {
      MultiBlockMasks one = sampler.sampleRagged(1, Batches.mix(EVAL_MASK_SEED, idx[i]));
      context[0][i] = one.context()[0][0];
      for (int j = 0; j < blocks; j++) target[j][i] = one.target()[j][0];
    }
    return new MultiBlockMasks(context, target);
  }
}
