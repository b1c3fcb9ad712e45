package dev.vitmae.api;

import dev.vitmae.contract.MetadataKey;
import dev.vitmae.datasets.ImageSource;
import dev.vitmae.datasets.LabelSubsets;
import dev.vitmae.graph.config.IjepaConfig;
import dev.vitmae.graph.config.MaeConfig;
import dev.vitmae.graph.config.PosEmbedding;
import dev.vitmae.graph.config.TrainConfig;
import dev.vitmae.graph.config.ViTConfig;
import dev.vitmae.graph.model.VitEncoder;
import dev.vitmae.graph.pretrained.PositionTables;
import dev.vitmae.graph.train.Checkpoint;
import dev.vitmae.graph.train.CheckpointException;
import dev.vitmae.graph.train.HealthMonitor;
import dev.vitmae.graph.train.IjepaTask;
import dev.vitmae.graph.train.LayerDecay;
import dev.vitmae.graph.train.Listeners;
import dev.vitmae.graph.train.MaeTask;
import dev.vitmae.graph.train.MemoryPolicy;
import dev.vitmae.graph.train.Task;
import dev.vitmae.graph.train.TaskFactory;
import dev.vitmae.graph.train.Tasks;
import dev.vitmae.graph.train.Trainer;
import dev.vitmae.graph.train.TrainingListener;
import dev.vitmae.graph.train.VitTask;
import dev.vitmae.runtime.ModelOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Declare → train in one expression: a model config (or any {@link Task}), or a checkpoint to
 * continue, the training settings by name, then {@link #fit}. Nothing is written to disk unless
 * asked ({@link #runDirectory}, {@link #listeners}). The checkpoint records the training data's
 * {@link ImageSource#provenance()} (preprocessing, augmentation, class names), which the export
 * writes into the ONNX metadata.
 *
 * <pre>{@code
 * var mae = MaeConfig.builder().imageSize(32).channels(3).patchSize(4).dim(192).depth(6)
 *     .maskingRatio(0.75).build();
 * TrainedModel run = Training.of(mae).epochs(20).batchSize(256).lr(1.5e-4).fit(images);
 * run.exportOnnx(Path.of("onnx"));
 *
 * // fine-tune its encoder as a classifier on 1,000 labels, the blocks at layer-decayed rates
 * TrainedModel tuned = Training.of(vit).initEncoder(run.checkpoint()).fineTune(0.75, false)
 *     .labels(1000, 0).fit(labelled);
 *
 * // continue a run exactly where its checkpoint stopped, for 10 more epochs
 * Training.resume(Path.of("run/checkpoint.zip")).epochs(30).runDirectory(Path.of("run")).fit(images);
 * }</pre>
 */
public final class Training {
  /** Which weights of an I-JEPA checkpoint initialize an encoder ({@link #initEncoder}). */
  public enum IjepaEncoder {
    /** The EMA target encoder, which I-JEPA evaluates (the default). */
    TARGET,
    /** The context encoder, trained by gradients. */
    CONTEXT
  }

  /** Layer-wise lr decay and a frozen encoder ({@link LayerDecay}); decay 1 and no freeze: off. */
  public record FineTuning(double layerDecay, boolean freezeEncoder) {
    public FineTuning {
      if (!(layerDecay > 0 && layerDecay <= 1)) {
        throw new IllegalArgumentException("layer decay must be within (0, 1], got " + layerDecay);
      }
    }

    /** Whether these settings change anything. */
    public boolean isOn() {
      return layerDecay != 1 || freezeEncoder;
    }
  }

  private final Task task;
  private final Checkpoint resumed;
  private final TaskFactory[] factories;
  private final TrainConfig.Builder config;
  private final List<TrainingListener> listeners = new ArrayList<>();
  private final Map<String, String> info = new LinkedHashMap<>();
  private ImageSource test;
  private int evaluateEvery = 1;
  private boolean health;
  private double collapseStd = HealthMonitor.COLLAPSE_STD;
  private Path runDirectory;
  private MemoryPolicy memoryPolicy = MemoryPolicy.JVM_DEFAULT;
  private Engine engine = Engine.DEFAULT;
  private ModelOptions ortOptions = ModelOptions.defaults();
  private int maxEpochs = Integer.MAX_VALUE;
  private Checkpoint encoderSource;
  private IjepaEncoder encoderChoice = IjepaEncoder.TARGET;
  private String encoderSourceName;
  private FineTuning fineTuning = new FineTuning(1, false);
  private Integer labels;
  private long labelsSeed;
  private int prefetchThreads;
  private int prefetchDepth = 1;

  private Training(Task task, Checkpoint resumed, TaskFactory... factories) {
    this.task = Objects.requireNonNull(task, "task");
    this.resumed = resumed;
    this.factories = factories.clone();
    this.config = resumed == null ? TrainConfig.builder() : resumed.train().toBuilder();
  }

  /** Supervised training of a ViT classifier (the images must be labelled). */
  public static Training of(ViTConfig vit) {
    return new Training(new VitTask(vit), null);
  }

  /** Self-supervised MAE pre-training (labels are not needed). */
  public static Training of(MaeConfig mae) {
    return new Training(new MaeTask(mae), null);
  }

  /** Self-supervised I-JEPA pre-training (labels are not needed). */
  public static Training of(IjepaConfig ijepa) {
    return new Training(new IjepaTask(ijepa), null);
  }

  /**
   * Fine-tuning of {@code pretrained}'s encoder (a ViT, or an MAE's, or an I-JEPA's target encoder;
   * e.g. {@link Pretrained#load}) as a classifier of {@code numClasses} classes: its architecture
   * and pooling, its {@code encoder/} weights ({@link #initEncoder}), a fresh head. The images must
   * have the encoder's size and channels ({@link
   * dev.vitmae.graph.pretrained.WeightMapping.Options#withImageSize} resamples an import's
   * positions to another size).
   */
  public static Training fineTune(TrainedModel pretrained, int numClasses) {
    Checkpoint ckpt = pretrained.checkpoint();
    return of(encoderOf(ckpt).toBuilder().numClasses(numClasses).build())
        .initEncoder(ckpt, IjepaEncoder.TARGET);
  }

  /** Training of any task, e.g. a model of your own. */
  public static Training of(Task task) {
    return new Training(task, null);
  }

  /**
   * Continues {@code checkpoint} exactly where it stopped: its model, weights, optimizer state,
   * training settings, progress, lr scales and data record; {@link #epochs} may raise the total.
   * Trained on the same data, the result equals the uninterrupted run's. {@code factories} rebuild
   * a kind of your own.
   *
   * @throws IllegalArgumentException when no factory knows the checkpoint's kind
   */
  public static Training resume(Checkpoint checkpoint, TaskFactory... factories) {
    return new Training(Tasks.of(checkpoint, factories), checkpoint, factories);
  }

  /**
   * {@link #resume(Checkpoint, TaskFactory...)} of a checkpoint file.
   *
   * @throws CheckpointException when the file is missing or corrupt
   */
  public static Training resume(Path checkpointFile, TaskFactory... factories)
      throws CheckpointException {
    return resume(Checkpoint.read(checkpointFile), factories);
  }

  /** The model kind, e.g. {@code mae}. */
  public String kind() {
    return task.kind();
  }

  /** Whether this continues a checkpoint ({@link #resume}). */
  public boolean isResume() {
    return resumed != null;
  }

  /** All training settings at once (replaces those set before). */
  public Training config(TrainConfig value) {
    config
        .epochs(value.epochs())
        .batchSize(value.batchSize())
        .lr(value.lr())
        .beta1(value.beta1())
        .beta2(value.beta2())
        .epsilon(value.epsilon())
        .weightDecay(value.weightDecay())
        .warmupSteps(value.warmupSteps())
        .cosine(value.cosine())
        .minLr(value.minLr())
        .microBatchSize(value.microBatchSize())
        .seed(value.seed())
        .labelSmoothing(value.labelSmoothing())
        .dropPath(value.dropPath());
    return this;
  }

  /** Total epochs (of a resumed run: may raise its total). */
  public Training epochs(int value) {
    config.epochs(value);
    return this;
  }

  /**
   * Stops after {@code value} epochs in this {@link #fit} (continue later with {@link #resume}).
   */
  public Training maxEpochs(int value) {
    if (value < 1) throw new IllegalArgumentException("maxEpochs must be >= 1, got " + value);
    this.maxEpochs = value;
    return this;
  }

  public Training batchSize(int value) {
    config.batchSize(value);
    return this;
  }

  /**
   * Gradient-accumulation chunk (0: the whole batch in one pass; default 128, {@link
   * TrainConfig#reference()}): both engines compute the same update in less memory.
   */
  public Training microBatchSize(int value) {
    config.microBatchSize(value);
    return this;
  }

  public Training lr(double value) {
    config.lr(value);
    return this;
  }

  /** Decoupled weight decay (AdamW); 0 is plain Adam. */
  public Training weightDecay(double value) {
    config.weightDecay(value);
    return this;
  }

  /** Linear warm-up steps, then (with {@code cosine}) a half-cosine decay to {@code minLr}. */
  public Training schedule(int warmupSteps, boolean cosine, double minLr) {
    config.warmupSteps(warmupSteps).cosine(cosine).minLr(minLr);
    return this;
  }

  /** Seeds weight init, batch order and masks. */
  public Training seed(long value) {
    config.seed(value);
    return this;
  }

  /**
   * Label smoothing ε of a ViT classifier ({@link TrainConfig#labelSmoothing()}); 0, the default,
   * is plain cross-entropy. A model trained without labels refuses any other value when {@link
   * #fit} starts.
   */
  public Training labelSmoothing(double value) {
    config.labelSmoothing(value);
    return this;
  }

  /**
   * Stochastic depth of a ViT classifier's encoder ({@link TrainConfig#dropPath()}: the last
   * block's branches are dropped with this probability, earlier ones less); 0, the default, is
   * none. A model other than a ViT classifier refuses any other value when {@link #fit} starts.
   */
  public Training dropPath(double value) {
    config.dropPath(value);
    return this;
  }

  /**
   * Starts the model's {@code encoder/} weights from {@code source}'s (any kind: ViT, MAE or
   * I-JEPA; for I-JEPA its EMA target encoder, as I-JEPA evaluates). Ignored when resuming: the
   * checkpoint holds the weights.
   */
  public Training initEncoder(Checkpoint source) {
    return initEncoder(source, IjepaEncoder.TARGET);
  }

  /** {@link #initEncoder(Checkpoint)}, choosing an I-JEPA source's target or context encoder. */
  public Training initEncoder(Checkpoint source, IjepaEncoder which) {
    this.encoderSource = Objects.requireNonNull(source, "source");
    this.encoderChoice = Objects.requireNonNull(which, "which");
    this.encoderSourceName = "the " + source.kind() + " checkpoint";
    return this;
  }

  /**
   * {@link #initEncoder(Checkpoint, IjepaEncoder)} from a checkpoint file.
   *
   * @throws CheckpointException when the file is missing or corrupt
   */
  public Training initEncoder(Path checkpointFile, IjepaEncoder which) throws CheckpointException {
    return initEncoder(Checkpoint.read(checkpointFile), which, checkpointFile.toString());
  }

  /** {@link #initEncoder(Checkpoint, IjepaEncoder)}, naming the source {@code name} in messages. */
  public Training initEncoder(Checkpoint source, IjepaEncoder which, String name) {
    initEncoder(source, which);
    this.encoderSourceName = Objects.requireNonNull(name, "name");
    return this;
  }

  /**
   * The ViT encoder of a checkpoint's model: a ViT's own, an MAE's, an I-JEPA's.
   *
   * @throws IllegalArgumentException for a model without one
   */
  public static ViTConfig encoderOf(Checkpoint checkpoint) {
    return encoderConfig(Tasks.of(checkpoint));
  }

  /**
   * Fine-tunes a ViT: block {@code i} of depth {@code L} learns at {@code lr·layerDecay^(L−i)}, the
   * patch embedding at {@code lr·layerDecay^(L+1)}, the head at {@code lr} ({@link LayerDecay}); a
   * frozen encoder is not updated. The scales are stored in the checkpoint, so a resumed run learns
   * at the same rates (a resumed run keeps its checkpoint's scales).
   *
   * @throws IllegalArgumentException unless {@code 0 < layerDecay <= 1}
   */
  public Training fineTune(double layerDecay, boolean freezeEncoder) {
    this.fineTuning = new FineTuning(layerDecay, freezeEncoder);
    return this;
  }

  /**
   * Trains on a seeded, class-stratified subset of {@code n} of the training images ({@link
   * LabelSubsets}), recorded in the checkpoint.
   */
  public Training labels(int n, long seed) {
    if (n < 1) throw new IllegalArgumentException("labels must be >= 1, got " + n);
    this.labels = n;
    this.labelsSeed = seed;
    return this;
  }

  /**
   * Decodes each epoch's batches ahead on {@code threads} threads, at most {@code depth} batches
   * ahead: for sources that decode files (an image folder). 0 threads: off (the default).
   */
  public Training prefetch(int threads, int depth) {
    if (threads < 0 || depth < 1) {
      throw new IllegalArgumentException(
          "prefetch needs threads >= 0 and depth >= 1, got " + threads + ", " + depth);
    }
    this.prefetchThreads = threads;
    this.prefetchDepth = depth;
    return this;
  }

  /** Scores the model on {@code images} after every epoch (the task's metric). */
  public Training evaluateOn(ImageSource images) {
    return evaluateOn(images, 1);
  }

  /**
   * Scores the model on {@code images} after every {@code everyEpochs}-th epoch and the last; the
   * epochs between record NaN (see {@link Listeners#evaluation(ImageSource, int, int)}).
   */
  public Training evaluateOn(ImageSource images, int everyEpochs) {
    if (everyEpochs < 1) {
      throw new IllegalArgumentException("everyEpochs must be >= 1, got " + everyEpochs);
    }
    this.test = Objects.requireNonNull(images, "images");
    this.evaluateEvery = everyEpochs;
    return this;
  }

  /**
   * Adds the encoder's collapse monitors to every epoch's metrics ({@link Listeners#health}), on a
   * seeded sample of the training images.
   */
  public Training health() {
    return health(HealthMonitor.COLLAPSE_STD);
  }

  /**
   * {@link #health()} with a WARN line when the encoder's embedding std falls below {@code
   * collapseStd} (default {@value HealthMonitor#COLLAPSE_STD}; 0 never warns).
   *
   * @throws IllegalArgumentException when {@code collapseStd} is negative or not finite
   */
  public Training health(double collapseStd) {
    this.collapseStd = HealthMonitor.checkCollapseStd(collapseStd);
    this.health = true;
    return this;
  }

  /**
   * Writes {@code checkpoint.zip}, {@code metrics.csv} and {@code steps.csv} into {@code dir} after
   * every epoch.
   */
  public Training runDirectory(Path dir) {
    this.runDirectory = Objects.requireNonNull(dir, "dir");
    return this;
  }

  /** Adds listeners, called after the built-in ones (health, evaluation, run directory). */
  public Training listeners(TrainingListener... more) {
    listeners.addAll(List.of(more));
    return this;
  }

  /** Adds {@code more} to what the checkpoint records about the run ({@link Trainer#info}). */
  public Training info(Map<String, String> more) {
    info.putAll(more);
    return this;
  }

  /** See {@link MemoryPolicy}: the JVM's own garbage collection unless asked. */
  public Training memoryPolicy(MemoryPolicy policy) {
    this.memoryPolicy = Objects.requireNonNull(policy, "policy");
    return this;
  }

  /**
   * Who executes the training steps ({@link Engine#DEFAULT} unless set); both compute a batch in
   * micro-batches of {@link #microBatchSize} (128 unless set).
   */
  public Training engine(Engine value) {
    this.engine = Objects.requireNonNull(value, "engine");
    return this;
  }

  /**
   * {@link Engine#ORT} with ONNX Runtime's device and threads, e.g. {@code
   * ModelOptions.defaults().withDevice(Device.CUDA).withStrictGpu(true)}.
   */
  public Training engine(Engine value, ModelOptions ort) {
    this.ortOptions = Objects.requireNonNull(ort, "ort");
    return engine(value);
  }

  /** The settings as they stand. */
  public TrainConfig trainConfig() {
    return config.build();
  }

  /**
   * Trains on {@code images} and returns the trained model.
   *
   * @throws IOException when a listener cannot write, or training diverged ({@link
   *     dev.vitmae.graph.train.TrainingDivergedException})
   * @throws CheckpointException when a resumed or encoder checkpoint does not fit the model
   */
  public TrainedModel fit(ImageSource images) throws IOException {
    try (Run run = start(images)) {
      return run.fit();
    }
  }

  /**
   * Prepares {@link #fit}: the trainer (fresh, resumed or with its encoder initialized, at its
   * fine-tuning rates) and the training images (the label subset), for a caller that reports them
   * before training (the command line).
   *
   * @throws CheckpointException when a resumed or encoder checkpoint does not fit the model
   * @throws IllegalArgumentException when the encoder checkpoint holds no matching encoder weights,
   *     or fine-tuning is asked of a model that is not a ViT
   */
  public Run start(ImageSource images) throws CheckpointException {
    Objects.requireNonNull(images, "images");
    if (fineTuning.isOn() && !(task instanceof VitTask)) {
      throw new IllegalArgumentException(
          "layer decay and a frozen encoder fine-tune a vit, not a " + task.kind());
    }
    ImageSource train =
        labels == null ? images : LabelSubsets.stratified(images, labels, labelsSeed);
    Trainer trainer =
        resumed != null
            ? Trainer.resume(task, trainConfig(), resumed)
            : new Trainer(task, trainConfig());
    try {
      List<String> notes = new ArrayList<>();
      List<String> initialized = resumed == null ? initEncoder(trainer, notes) : List.of();
      FineTuning tuning = resumed == null ? fineTuning : resumedFineTuning();
      if (tuning.isOn() && trainer.lrScales().isEmpty() && task instanceof VitTask vit) {
        trainer.lrScales(
            LayerDecay.scales(
                List.copyOf(trainer.params().keySet()),
                vit.config().depth(),
                tuning.layerDecay(),
                tuning.freezeEncoder()));
      }
      Map<String, String> more = new LinkedHashMap<>(info);
      if (tuning.isOn()) more.putAll(LayerDecay.info(tuning.layerDecay(), tuning.freezeEncoder()));
      if (labels != null) more.putAll(LabelSubsets.info(train.count(), labelsSeed));
      trainer
          .info(more)
          .engine(engine.factory(ortOptions))
          .memoryPolicy(memoryPolicy)
          .prefetch(prefetchThreads, prefetchDepth);
      return new Run(trainer, train, initialized, notes, tuning);
    } catch (RuntimeException | CheckpointException e) {
      trainer.close();
      throw e;
    }
  }

  /** Copies the encoder source's {@code encoder/} weights; returns their names. */
  private List<String> initEncoder(Trainer trainer, List<String> notes) throws CheckpointException {
    if (encoderSource == null) return List.of();
    boolean target =
        encoderSource.kind().equalsIgnoreCase(Tasks.IJEPA) && encoderChoice == IjepaEncoder.TARGET;
    Map<String, Checkpoint.Tensor> encoder =
        encoderWeights(
            target ? encoderSource.ema() : encoderSource.params(),
            encoderOf(encoderSource),
            encoderConfig(trainer.task()),
            notes);
    List<String> copied = trainer.loadParams(encoder, true);
    if (copied.isEmpty()) {
      throw new IllegalArgumentException(
          encoderSourceName + " has no encoder/ weights of matching shape");
    }
    return copied;
  }

  private static ViTConfig encoderConfig(Task task) {
    if (task instanceof VitTask v) return v.config();
    if (task instanceof MaeTask m) return m.config().encoder();
    if (task instanceof IjepaTask j) return j.config().encoder();
    throw new IllegalArgumentException("a " + task.kind() + " has no ViT encoder");
  }

  /**
   * The {@code encoder/} tensors of {@code weights} for an encoder {@code to}: a learned position
   * table of another grid is resampled to {@code to}'s as timm does (bicubic, class row kept), and
   * its class row dropped (with the class token) for an encoder without one; each change is noted.
   */
  static Map<String, Checkpoint.Tensor> encoderWeights(
      Map<String, Checkpoint.Tensor> weights, ViTConfig from, ViTConfig to, List<String> notes) {
    Map<String, Checkpoint.Tensor> out = new LinkedHashMap<>();
    weights.forEach(
        (name, t) -> {
          if (name.startsWith("encoder/")) out.put(name, t);
        });
    Checkpoint.Tensor pos = out.get(VitEncoder.POSITIONS);
    int prefix = from.numPositions() - from.numPatches();
    if (!to.hasClassToken()) out.remove(VitEncoder.CLASS_TOKEN);
    if (pos != null && prefix == 1 && to.numPositions() == to.numPatches()) {
      int dim = Math.toIntExact(pos.shape()[1]);
      float[] rows = Arrays.copyOfRange(pos.data(), dim, pos.data().length);
      pos = new Checkpoint.Tensor(new long[] {pos.shape()[0] - 1, dim}, rows);
      out.put(VitEncoder.POSITIONS, pos);
      prefix = 0;
      notes.add(
          to.hasClassToken()
              ? "the class token's position row is not used (this encoder's class token has none)"
              : "the class token and its position row are not used (the encoder has none)");
    }
    if (pos != null
        && from.gridSize() != to.gridSize()
        && to.posEmbedding() == PosEmbedding.LEARNED
        && prefix == to.numPositions() - to.numPatches()) {
      int dim = Math.toIntExact(pos.shape()[1]);
      float[] resampled =
          PositionTables.resample(pos.data(), prefix, from.gridSize(), to.gridSize(), dim, true);
      out.put(
          VitEncoder.POSITIONS,
          new Checkpoint.Tensor(new long[] {prefix + to.numPatches(), dim}, resampled));
      notes.add(
          String.format(
              Locale.ROOT,
              "positions resampled from %dx%d to %dx%d (bicubic, as timm)",
              from.gridSize(),
              from.gridSize(),
              to.gridSize(),
              to.gridSize()));
    }
    return out;
  }

  /** The fine-tuning a resumed checkpoint records, else the one asked for. */
  private FineTuning resumedFineTuning() {
    Map<String, String> saved = resumed.info();
    if (!MetadataKey.LAYER_DECAY.in(saved)) return fineTuning;
    return new FineTuning(
        MetadataKey.LAYER_DECAY.get(saved).orElseThrow(),
        MetadataKey.FREEZE_ENCODER.get(saved).orElse(false));
  }

  /** A prepared training run ({@link #start}): fit it once, then close it. */
  public final class Run implements AutoCloseable {
    private final Trainer trainer;
    private final ImageSource train;
    private final List<String> initialized;
    private final List<String> encoderNotes;
    private final FineTuning tuning;

    private Run(
        Trainer trainer,
        ImageSource train,
        List<String> initialized,
        List<String> encoderNotes,
        FineTuning tuning) {
      this.trainer = trainer;
      this.train = train;
      this.initialized = initialized;
      this.encoderNotes = List.copyOf(encoderNotes);
      this.tuning = tuning;
    }

    /** The trainer, for reporting (its task, settings, progress and engine). */
    public Trainer trainer() {
      return trainer;
    }

    /** The images trained on: the label subset when asked for. */
    public ImageSource train() {
      return train;
    }

    /** The encoder tensors copied by {@link #initEncoder} (empty when none). */
    public List<String> initializedEncoder() {
      return initialized;
    }

    /**
     * What initializing the encoder changed in the source's tensors to fit (a class row dropped,
     * positions resampled to another grid), one sentence each; empty when nothing.
     */
    public List<String> encoderNotes() {
      return encoderNotes;
    }

    /** Whether the encoder came from an I-JEPA checkpoint's target encoder. */
    public boolean encoderIsIjepaTarget() {
      return !initialized.isEmpty()
          && encoderSource.kind().equalsIgnoreCase(Tasks.IJEPA)
          && encoderChoice == IjepaEncoder.TARGET;
    }

    /** The layer decay and freezing in effect (resumed: the checkpoint's record). */
    public FineTuning fineTuning() {
      return tuning;
    }

    /**
     * Trains (at most {@link #maxEpochs} epochs) and returns the trained model.
     *
     * @throws IOException when a listener cannot write, or training diverged
     */
    public TrainedModel fit() throws IOException {
      int evalBatch = Math.max(trainer.config().batchSize(), 256);
      List<TrainingListener> all = new ArrayList<>();
      if (health) all.add(Listeners.health(train, collapseStd));
      if (test != null) all.add(Listeners.evaluation(test, evalBatch, evaluateEvery));
      if (runDirectory != null) all.addAll(Listeners.runDirectory(runDirectory, null, evalBatch));
      all.addAll(listeners);
      trainer.fit(train, maxEpochs, all);
      return new TrainedModel(trainer.checkpoint(), factories);
    }

    @Override
    public void close() {
      trainer.close();
    }
  }
}
