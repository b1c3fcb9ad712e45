package dev.vitmae.graph.config;

/**
 * How to train: optimizer (Adam / AdamW), schedule, batches, seeds.
 *
 * @param warmupSteps linear warm-up from 0 to {@code lr} over this many steps (0: none)
 * @param cosine after warm-up, decay from {@code lr} to {@code minLr} along a half cosine over the
 *     remaining steps of {@code epochs}
 * @param weightDecay decoupled weight decay (AdamW); 0 is plain Adam
 * @param microBatchSize split each batch into chunks of at most this many examples and average
 *     their gradients (weighted by size: the same update, in less memory and time on CPU); 0 or
 *     {@code >= batchSize} computes the batch in one pass
 * @param seed seeds weight init, batch order and masks; each is a pure function of (seed, epoch,
 *     step), so a resumed run replays the same sequence
 * @param labelSmoothing a supervised task's targets are {@code (1 − ε)·onehot + ε/K} for K classes
 *     (Szegedy et al. 2016; timm's and MAE's fine-tuning use 0.1); 0 is plain cross-entropy. A task
 *     without labels refuses any other value ({@code Task#trainedWith}).
 * @param dropPath stochastic depth (Huang et al. 2016), as timm's and MAE's fine-tuning use it:
 *     each residual branch of a ViT classifier's encoder block {@code i} of {@code depth} is
 *     dropped for a whole example with probability {@code dropPath·i/(depth − 1)} and scaled by
 *     {@code 1/(1 − rate)} when kept (the rule's home: {@code dev.vitmae.graph.nn.DropPath});
 *     evaluation keeps every branch. 0 is none; a task whose graph has no such branches refuses any
 *     other value ({@code Task#trainedWith}).
 */
public record TrainConfig(
    int epochs,
    int batchSize,
    double lr,
    double beta1,
    double beta2,
    double epsilon,
    double weightDecay,
    int warmupSteps,
    boolean cosine,
    double minLr,
    int microBatchSize,
    long seed,
    @RecordJson.Added("0") double labelSmoothing,
    @RecordJson.Added("0") double dropPath) {

  public TrainConfig {
    ViTConfig.positive("epochs", epochs);
    ViTConfig.positive("batchSize", batchSize);
    if (!(lr > 0)) throw new IllegalArgumentException("lr must be > 0, got " + lr);
    if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
      throw new IllegalArgumentException(
          "betas must be within [0, 1), got " + beta1 + ", " + beta2);
    }
    if (!(epsilon > 0)) throw new IllegalArgumentException("epsilon must be > 0, got " + epsilon);
    if (!(weightDecay >= 0)) throw new IllegalArgumentException("weightDecay must be >= 0");
    if (warmupSteps < 0) throw new IllegalArgumentException("warmupSteps must be >= 0");
    if (microBatchSize < 0) throw new IllegalArgumentException("microBatchSize must be >= 0");
    if (!(minLr >= 0 && minLr <= lr)) {
      throw new IllegalArgumentException("minLr must be within [0, lr], got " + minLr);
    }
    if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
      throw new IllegalArgumentException(
          "labelSmoothing must be within [0, 1), got " + labelSmoothing);
    }
    if (!(dropPath >= 0 && dropPath < 1)) {
      throw new IllegalArgumentException("dropPath must be within [0, 1), got " + dropPath);
    }
  }

  /** The record's components before {@code labelSmoothing} and {@code dropPath}, which are 0. */
  public TrainConfig(
      int epochs,
      int batchSize,
      double lr,
      double beta1,
      double beta2,
      double epsilon,
      double weightDecay,
      int warmupSteps,
      boolean cosine,
      double minLr,
      int microBatchSize,
      long seed) {
    this(
        epochs,
        batchSize,
        lr,
        beta1,
        beta2,
        epsilon,
        weightDecay,
        warmupSteps,
        cosine,
        minLr,
        microBatchSize,
        seed,
        0,
        0);
  }

  /** Epochs of {@link #reference()}: the command line's default run length. */
  public static final int DEFAULT_EPOCHS = 3;

  /**
   * The reference: 3 epochs of Adam, lr 1e-4, batch 512 (computed in micro-batches of 128), no
   * schedule, seed 42.
   */
  public static TrainConfig reference() {
    return reference(DEFAULT_EPOCHS);
  }

  /** {@link #reference()} with {@code epochs} epochs. */
  public static TrainConfig reference(int epochs) {
    return new TrainConfig(epochs, 512, 1e-4, 0.9, 0.999, 1e-8, 0, 0, false, 0, 128, 42);
  }

  public TrainConfig withEpochs(int newEpochs) {
    return toBuilder().epochs(newEpochs).build();
  }

  /** Learning rate at optimizer step {@code step} (0-based) of a run of {@code totalSteps}. */
  public double lrAt(long step, long totalSteps) {
    if (step < warmupSteps) return lr * (step + 1) / warmupSteps;
    if (!cosine) return lr;
    long decaySteps = Math.max(1, totalSteps - warmupSteps);
    double progress = Math.min(1.0, (double) (step - warmupSteps) / decaySteps);
    return minLr + 0.5 * (lr - minLr) * (1 + Math.cos(Math.PI * progress));
  }

  /** A builder that starts from {@link #reference()}: set what differs, by name. */
  public static Builder builder() {
    return new Builder(reference());
  }

  /** A builder that starts from this config. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Names every value of a {@link TrainConfig}; {@link #build()} validates (the compact
   * constructor).
   */
  public static final class Builder {
    private int epochs;
    private int batchSize;
    private double lr;
    private double beta1;
    private double beta2;
    private double epsilon;
    private double weightDecay;
    private int warmupSteps;
    private boolean cosine;
    private double minLr;
    private int microBatchSize;
    private long seed;
    private double labelSmoothing;
    private double dropPath;

    private Builder(TrainConfig c) {
      epochs = c.epochs;
      batchSize = c.batchSize;
      lr = c.lr;
      beta1 = c.beta1;
      beta2 = c.beta2;
      epsilon = c.epsilon;
      weightDecay = c.weightDecay;
      warmupSteps = c.warmupSteps;
      cosine = c.cosine;
      minLr = c.minLr;
      microBatchSize = c.microBatchSize;
      seed = c.seed;
      labelSmoothing = c.labelSmoothing;
      dropPath = c.dropPath;
    }

    public Builder epochs(int value) {
      epochs = value;
      return this;
    }

    public Builder batchSize(int value) {
      batchSize = value;
      return this;
    }

    public Builder lr(double value) {
      lr = value;
      return this;
    }

    public Builder beta1(double value) {
      beta1 = value;
      return this;
    }

    public Builder beta2(double value) {
      beta2 = value;
      return this;
    }

    public Builder epsilon(double value) {
      epsilon = value;
      return this;
    }

    public Builder weightDecay(double value) {
      weightDecay = value;
      return this;
    }

    public Builder warmupSteps(int value) {
      warmupSteps = value;
      return this;
    }

    public Builder cosine(boolean value) {
      cosine = value;
      return this;
    }

    public Builder minLr(double value) {
      minLr = value;
      return this;
    }

    public Builder microBatchSize(int value) {
      microBatchSize = value;
      return this;
    }

    public Builder seed(long value) {
      seed = value;
      return this;
    }

    public Builder labelSmoothing(double value) {
      labelSmoothing = value;
      return this;
    }

    public Builder dropPath(double value) {
      dropPath = value;
      return this;
    }

    /** The config; throws {@link IllegalArgumentException} naming the first bad value. */
    public TrainConfig build() {
      return new TrainConfig(
          epochs,
          batchSize,
          lr,
          beta1,
          beta2,
          epsilon,
          weightDecay,
          warmupSteps,
          cosine,
          minLr,
          microBatchSize,
          seed,
          labelSmoothing,
          dropPath);
    }
  }
}
