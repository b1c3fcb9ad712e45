package dev.vitmae.graph.train;

import dev.vitmae.contract.MaeMask;
import dev.vitmae.contract.TensorNames;
import dev.vitmae.datasets.ImageSource;
import dev.vitmae.datasets.Patches;
import dev.vitmae.graph.config.ViTConfig;
import dev.vitmae.graph.eval.FeatureHealth;
import dev.vitmae.graph.model.Names;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Training-health signals after every epoch, on a fixed seeded sample of training images: the
 * encoder's pooled features' mean per-dimension standard deviation ({@value #STD}) and effective
 * rank ({@value #RANK}, RankMe), the usual collapse monitors for I-JEPA; for an MAE also the
 * reconstruction error on the visible and the masked patches ({@value #VISIBLE_MSE}, {@value
 * #MASKED_MSE}, in the loss's units, with {@link MaeTask}'s fixed per-image masks). Logs a WARN
 * line when the standard deviation falls below the collapse threshold.
 *
 * <p>The features are those of the task's {@code encoder} inference model ({@link
 * InferenceModel#ENCODER}: for I-JEPA the target encoder), built once and given the current weights
 * each epoch; the MAE errors come from the training graph's forward pass, which this listener only
 * reads. Tasks without an {@code encoder} model get the MAE columns or none.
 */
public final class HealthMonitor implements TrainingListener {
  /** Metric names, as they appear in {@code metrics.csv}. */
  public static final String STD = "embed_std";

  public static final String RANK = "embed_rank";
  public static final String VISIBLE_MSE = "train_visible_mse";
  public static final String MASKED_MSE = "train_masked_mse";

  /** Training images measured, by default. */
  public static final int SAMPLE = 512;

  /** Seed of the sample, by default. */
  public static final long SEED = 20240601L;

  /**
   * Default collapse threshold of {@value #STD}. vitmae's encoders end in a LayerNorm, so healthy
   * pooled features vary by tenths (a random-init 16-wide test encoder on synthetic digits: 0.18);
   * a hundredth of that scale means the images are hardly told apart.
   */
  public static final double COLLAPSE_STD = 1e-2;

  static final Logger LOG = LoggerFactory.getLogger(HealthMonitor.class);
  private static final int BATCH = 128;

  private final ImageSource data;
  private final int[] sample;
  private final double collapseStd;
  private final Consumer<String> warn;
  private SameDiff encoder;

  /** Health of {@value #SAMPLE} images of {@code train}, WARN below {@value #COLLAPSE_STD}. */
  public HealthMonitor(ImageSource train) {
    this(train, SAMPLE, SEED, COLLAPSE_STD, LOG::warn);
  }

  /**
   * Health of {@code min(sampleSize, count)} images of {@code train} drawn with {@code seed};
   * {@code warn} receives the collapse warnings.
   */
  public HealthMonitor(
      ImageSource train, int sampleSize, long seed, double collapseStd, Consumer<String> warn) {
    if (sampleSize < 2) throw new IllegalArgumentException("sampleSize must be >= 2");
    checkCollapseStd(collapseStd);
    this.data = train;
    this.sample = sample(train.count(), sampleSize, seed);
    this.collapseStd = collapseStd;
    this.warn = warn;
  }

  /**
   * {@code collapseStd}, checked: a collapse threshold is a finite number >= 0 (0 never warns).
   *
   * @throws IllegalArgumentException naming the value otherwise
   */
  public static double checkCollapseStd(double collapseStd) {
    if (!(collapseStd >= 0) || Double.isInfinite(collapseStd)) {
      throw new IllegalArgumentException(
          "the collapse threshold (embedding std) must be a finite number >= 0, got "
              + collapseStd);
    }
    return collapseStd;
  }

  /** One epoch's signals; NaN where the task has no such model. */
  public record Health(double std, double rank, int dim, double visibleMse, double maskedMse) {}

  @Override
  public void epochDone(Trainer trainer, EpochResult epoch) {
    Health h = measure(trainer);
    Map<String, Double> m = epoch.metrics();
    if (!Double.isNaN(h.std())) {
      m.put(STD, h.std());
      m.put(RANK, h.rank());
    }
    if (trainer.task() instanceof MaeTask) {
      m.put(VISIBLE_MSE, h.visibleMse());
      m.put(MASKED_MSE, h.maskedMse());
    }
    if (h.std() < collapseStd) {
      warn.accept(
          String.format(
              Locale.ROOT,
              "epoch %d: the encoder's features are collapsing: embedding std %.3g < %.3g"
                  + " (effective rank %.2f of %d dimensions, %d training images)",
              epoch.epochsDone(),
              h.std(),
              collapseStd,
              h.rank(),
              h.dim(),
              sample.length));
    }
  }

  /** The signals of {@code trainer}'s current weights. */
  public Health measure(Trainer trainer) {
    double std = Double.NaN;
    double rank = Double.NaN;
    int dim = 0;
    // One image has no spread to measure: it would read as a collapse.
    float[] z = sample.length < 2 ? null : features(trainer);
    if (z != null) {
      dim = z.length / sample.length;
      std = FeatureHealth.meanStd(z, sample.length, dim);
      rank = FeatureHealth.effectiveRank(z, sample.length, dim);
    }
    double[] mse = {Double.NaN, Double.NaN};
    if (trainer.task() instanceof MaeTask mae) mse = maeErrors(mae, trainer.graph());
    return new Health(std, rank, dim, mse[0], mse[1]);
  }

  /** The pooled {@code embedding [sample, dim]} of the task's encoder model, or null. */
  private float[] features(Trainer trainer) {
    Task task = trainer.task();
    InferenceModel model =
        task.inferenceModels().stream()
            .filter(im -> im.name().equals(InferenceModel.ENCODER))
            .findFirst()
            .orElse(null);
    if (model == null) return null;
    Map<String, INDArray> weights =
        model.weights() == InferenceModel.Weights.EMA ? task.ema() : trainer.params();
    if (encoder == null) {
      encoder = model.graph().build(weights.values().iterator().next().dataType());
    }
    for (SDVariable v : encoder.variables()) {
      if (v.getVariableType() != VariableType.VARIABLE) continue;
      INDArray w = weights.get(v.name());
      if (w == null) throw new IllegalStateException("no weight " + v.name() + " for the encoder");
      v.getArr().assign(w);
    }
    float[] z = null;
    for (int from = 0; from < sample.length; from += BATCH) {
      int[] idx = Arrays.copyOfRange(sample, from, Math.min(sample.length, from + BATCH));
      INDArray e =
          encoder
              .output(Map.of(TensorNames.IMAGES, Task.images(data, idx)), TensorNames.EMBEDDING)
              .get(TensorNames.EMBEDDING);
      float[] batch = e.dup('c').data().asFloat();
      if (z == null) z = new float[sample.length * (batch.length / idx.length)];
      System.arraycopy(batch, 0, z, from * (batch.length / idx.length), batch.length);
    }
    return z;
  }

  /**
   * The MAE's mean squared error on the visible and on the masked patches of the sample, against
   * its loss's target (per-patch normalized pixels with {@code normPixelLoss}), with {@link
   * MaeTask#evalMasks} masks: {@code [visible, masked]}.
   */
  private double[] maeErrors(MaeTask mae, SameDiff graph) {
    ViTConfig c = mae.config().encoder();
    int n = c.numPatches();
    int patchDim = c.patchDim();
    double[] sum = new double[2];
    long[] count = new long[2];
    for (int from = 0; from < sample.length; from += BATCH) {
      int[] idx = Arrays.copyOfRange(sample, from, Math.min(sample.length, from + BATCH));
      INDArray images = Task.images(data, idx);
      MaeMask masks = mae.evalMasks(idx);
      INDArray mask = mae.floatMask(masks);
      float[] predicted =
          graph
              .output(mae.feeds(images, masks), Names.PREDICTED_PATCHES)
              .get(Names.PREDICTED_PATCHES)
              .dup('c')
              .data()
              .asFloat();
      float[] patches =
          Patches.patchify(
              images.dup('c').data().asFloat(),
              idx.length,
              c.channels(),
              c.imageSize(),
              c.imageSize(),
              c.patchSize());
      float[] masked = mask.dup('c').data().asFloat();
      for (int p = 0; p < idx.length * n; p++) {
        double[] target = target(patches, p * patchDim, patchDim, mae.config().normPixelLoss());
        double squares = 0;
        for (int j = 0; j < patchDim; j++) {
          double d = predicted[p * patchDim + j] - target[j];
          squares += d * d;
        }
        int which = masked[p] > 0.5f ? 1 : 0;
        sum[which] += squares;
        count[which] += patchDim;
      }
    }
    return new double[] {sum[0] / count[0], sum[1] / count[1]};
  }

  /** A patch's loss target: its pixels, or (normalized) minus their mean over their std. */
  private static double[] target(float[] patches, int from, int patchDim, boolean normalized) {
    double[] t = new double[patchDim];
    for (int j = 0; j < patchDim; j++) t[j] = patches[from + j];
    if (!normalized) return t;
    double mean = 0;
    for (double v : t) mean += v;
    mean /= patchDim;
    double var = 0;
    for (double v : t) var += (v - mean) * (v - mean);
    // The MAE paper's code: unbiased variance + 1e-6 (as Mae's loss).
    double std = Math.sqrt(var / (patchDim - 1) + 1e-6);
    for (int j = 0; j < patchDim; j++) t[j] = (t[j] - mean) / std;
    return t;
  }

  /** {@code size} distinct indices of {@code 0..count-1} (all when fewer), seeded, sorted. */
  private static int[] sample(int count, int size, long seed) {
    int[] all = new int[count];
    for (int i = 0; i < count; i++) all[i] = i;
    Random random = new Random(seed);
    int k = Math.min(size, count);
    for (int i = 0; i < k; i++) {
      int j = i + random.nextInt(count - i);
      int t = all[i];
      all[i] = all[j];
      all[j] = t;
    }
    int[] out = Arrays.copyOf(all, k);
    Arrays.sort(out);
    return out;
  }
}
