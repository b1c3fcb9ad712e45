package dev.vitmae.graph.train;

import dev.vitmae.datasets.Batches;
import dev.vitmae.datasets.ImageSource;
import dev.vitmae.datasets.PrefetchedImages;
import dev.vitmae.datasets.Provenance;
import dev.vitmae.graph.config.TrainConfig;
import dev.vitmae.graph.model.Names;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * The training loop shared by every {@link Task}: seeded batches and masks, Adam with its lr
 * schedule, the task's own schedules (I-JEPA's EMA momentum), a NaN guard and exact resume. It
 * writes nothing by itself: checkpoints, metrics and evaluation are {@link TrainingListener}s
 * ({@link Listeners}).
 *
 * <pre>{@code
 * Trainer trainer = new Trainer(new MaeTask(mae), TrainConfig.builder().epochs(3).build());
 * trainer.fit(images, Listeners.checkpoint(Path.of("run/checkpoint.zip")));
 * }</pre>
 *
 * <p>Batch order is a function of (seed, epoch) and each step's masks of (seed, step), so a run
 * resumed from the checkpoint of epoch N continues exactly as the uninterrupted run would.
 *
 * <p>The steps run on a {@link StepEngine}: {@link SameDiffEngine} by default, or the ONNX Runtime
 * engine of {@code vitmae-train-ort} ({@link #engine}). The backward pass is built with {@link
 * GradFunction#create}, which keeps ND4J's per-op console lines away.
 *
 * <p>Not thread-safe: one thread drives a trainer.
 */
public final class Trainer implements AutoCloseable {
  /** File name of the latest checkpoint inside a run directory. */
  public static final String CHECKPOINT = "checkpoint.zip";

  /** File name of the per-epoch metrics inside a run directory. */
  public static final String METRICS = "metrics.csv";

  /** File name of the per-step losses inside a run directory. */
  public static final String STEPS = "steps.csv";

  /** Names a checkpoint given as an object rather than read from a file, in error messages. */
  private static final Path IN_MEMORY = Path.of("(in memory)");

  private final Task task;
  private final TrainConfig config;
  private final SameDiff sd;
  private final List<String> paramNames;

  /** Adam moments while no engine is open (an open engine holds the live ones). */
  private final Map<String, INDArray> firstMoments = new LinkedHashMap<>();

  private final Map<String, INDArray> secondMoments = new LinkedHashMap<>();
  private StepEngine.Factory engineFactory = SameDiffEngine.FACTORY;

  /** Opened at the first step; closed (its state kept here) when the setup changes. */
  private StepEngine engine;

  /** The task's forward passes outside the step, on the chosen engine's executor. */
  private final Forwards forwards = Forwards.sameDiff();

  private MemoryPolicy memoryPolicy = MemoryPolicy.JVM_DEFAULT;
  private int prefetchThreads;
  private int prefetchDepth;
  private int epochsDone;
  private long step;

  /** Optimizer steps of the whole run, which the lr and EMA schedules span; 0 until planned. */
  private long totalSteps;

  private String dataset = "";

  /** Per-parameter lr scales (absent: 1); parameters at 0 are frozen. */
  private Map<String, Double> lrScales = Map.of();

  /** The parameters that get gradients: all but the frozen ones. */
  private List<String> trainable;

  private Map<String, String> info = Map.of();

  /** The source whose provenance {@link #info} holds (set by fit and trainStep). */
  private ImageSource recorded;

  /** A trainer with freshly initialized weights (seeded by {@code config.seed()}). */
  public Trainer(Task task, TrainConfig config) {
    this.task = task.trainedWith(config);
    this.config = config;
    this.sd = this.task.build(DataType.FLOAT, config.seed());
    if (!sd.hasVariable(Names.LOSS)) {
      throw new IllegalArgumentException(
          "the " + this.task.kind() + " training graph has no '" + Names.LOSS + "' variable");
    }
    this.paramNames =
        sd.variables().stream()
            .filter(v -> v.getVariableType() == VariableType.VARIABLE)
            .map(SDVariable::name)
            .toList();
    this.trainable = paramNames;
    GradFunction.create(sd);
    this.task.forwardsOn(forwards);
    this.task.paramsSet(params());
  }

  /**
   * A trainer that continues {@code checkpoint}; {@code config} may raise the epoch count.
   *
   * @throws CheckpointException when the checkpoint is for another model or its tensors do not fit
   */
  public static Trainer resume(Task task, TrainConfig config, Checkpoint checkpoint)
      throws CheckpointException {
    if (!checkpoint.kind().equalsIgnoreCase(task.kind())
        || !dev.vitmae.graph.config.RecordJson.sameJson(
            checkpoint.modelJson(), task.configJson())) {
      throw new CheckpointException(
          IN_MEMORY,
          "holds a "
              + checkpoint.kind()
              + " with config "
              + checkpoint.modelJson()
              + ", not the requested "
              + task.kind()
              + " "
              + task.configJson());
    }
    Trainer t = new Trainer(task, config);
    t.loadParams(checkpoint.params(), false);
    for (String name : t.paramNames) {
      // A parameter frozen in the saved run (lrScales 0) has no moments yet: it starts at zero.
      if (!checkpoint.adamM().containsKey(name) && !checkpoint.adamV().containsKey(name)) continue;
      t.firstMoments.put(name, t.array(checkpoint.adamM(), name));
      t.secondMoments.put(name, t.array(checkpoint.adamV(), name));
    }
    for (var e : t.task.ema().entrySet()) {
      e.getValue().assign(array(checkpoint.ema(), e.getKey(), e.getValue().shape()));
    }
    t.epochsDone = checkpoint.progress().epochsDone();
    t.step = checkpoint.progress().step();
    t.dataset = checkpoint.progress().dataset();
    t.info = checkpoint.info();
    Map<String, Double> scales = checkpoint.lrScales();
    if (scales.isEmpty() && task instanceof VitTask vit) {
      scales = LayerDecay.recordedIn(checkpoint.info(), t.paramNames, vit.config().depth());
    }
    if (!scales.isEmpty()) t.lrScales(scales);
    return t;
  }

  /**
   * Per-parameter learning-rate scales, e.g. {@link LayerDecay#scales} for fine-tuning (absent
   * names: 1). A parameter at scale 0 is frozen: no gradient is computed for it and it never
   * changes. Stored in checkpoints ({@link Checkpoint#lrScales()}): a resumed run learns at the
   * same rates. Returns this trainer.
   *
   * @throws IllegalArgumentException for an unknown parameter or a negative or non-finite scale
   */
  public Trainer lrScales(Map<String, Double> scales) {
    detach();
    for (var e : scales.entrySet()) {
      if (!paramNames.contains(e.getKey())) {
        throw new IllegalArgumentException(
            "no parameter '" + e.getKey() + "' in the " + task.kind() + " model");
      }
      if (!(e.getValue() >= 0) || Double.isInfinite(e.getValue())) {
        throw new IllegalArgumentException(
            "lr scale of " + e.getKey() + " must be >= 0, got " + e.getValue());
      }
    }
    this.lrScales = Map.copyOf(scales);
    this.trainable = paramNames.stream().filter(n -> lrScales.getOrDefault(n, 1.0) > 0).toList();
    if (trainable.isEmpty()) throw new IllegalArgumentException("every parameter is frozen");
    return this;
  }

  /**
   * Chooses who executes the optimizer steps ({@link SameDiffEngine#FACTORY} by default, or the
   * ONNX Runtime engine of {@code vitmae-train-ort}); the loop, schedules, checkpoints and resume
   * are the same. May be changed between steps: the open engine's state is handed over. Returns
   * this trainer.
   */
  public Trainer engine(StepEngine.Factory factory) {
    detach();
    this.engineFactory = java.util.Objects.requireNonNull(factory, "factory");
    forwards.engine(factory);
    return this;
  }

  /**
   * What executes the steps, once they started (e.g. {@code ort on CPUExecutionProvider (step graph
   * written in 0.5 s, session created in 0.2 s)}); the engine's name before.
   */
  public String engineDescription() {
    return engine != null ? engine.describe() : engineFactory.name();
  }

  /** The name of the engine that executes (or will execute) the steps. */
  public String engineName() {
    return engineFactory.name();
  }

  /** Sets what happens to ND4J's native memory between micro-batches; returns this trainer. */
  public Trainer memoryPolicy(MemoryPolicy policy) {
    detach();
    this.memoryPolicy = java.util.Objects.requireNonNull(policy, "policy");
    return this;
  }

  /**
   * Reads each epoch's batches ahead on {@code threads} threads, at most {@code depth} batches
   * ahead (a {@link PrefetchedImages} view): for sources that decode files. 0 threads: read each
   * batch when the step needs it (the default). Returns this trainer.
   */
  public Trainer prefetch(int threads, int depth) {
    if (threads < 0 || depth < 1) {
      throw new IllegalArgumentException(
          "prefetch needs threads >= 0 and depth >= 1, got " + threads + ", " + depth);
    }
    this.prefetchThreads = threads;
    this.prefetchDepth = depth;
    return this;
  }

  /**
   * Sets the length of the run, which the lr schedule (warm-up, cosine) and the task's own
   * schedules (I-JEPA's EMA momentum) span. {@link #fit} and {@link #trainStep(ImageSource, int[])}
   * set it from the data; a loop that calls {@link #trainStep(Map)} sets it first.
   *
   * @return this trainer
   */
  public Trainer planSteps(long totalSteps) {
    if (totalSteps <= 0)
      throw new IllegalArgumentException("totalSteps must be > 0, got " + totalSteps);
    this.totalSteps = totalSteps;
    return this;
  }

  /**
   * The run's length in optimizer steps for {@code trainImages} images: epochs × batches per epoch.
   */
  public long stepsFor(int trainImages) {
    return (long) Batches.batchesPerEpoch(trainImages, config.batchSize(), false) * config.epochs();
  }

  /** Steps the schedules span; 0 until planned. */
  public long plannedSteps() {
    return totalSteps;
  }

  /**
   * Copies the parameters whose names are in {@code tensors} (all of them, or with {@code partial}
   * only those present, e.g. the {@code encoder/} weights of a ViT into an MAE).
   *
   * @return the names copied
   */
  public List<String> loadParams(Map<String, Checkpoint.Tensor> tensors, boolean partial)
      throws CheckpointException {
    detach();
    List<String> copied = new ArrayList<>();
    for (String name : paramNames) {
      if (partial && !tensors.containsKey(name)) continue;
      sd.getArrForVarName(name).assign(array(tensors, name));
      copied.add(name);
    }
    task.paramsSet(params());
    return copied;
  }

  private INDArray array(Map<String, Checkpoint.Tensor> tensors, String name)
      throws CheckpointException {
    return array(tensors, name, sd.getArrForVarName(name).shape());
  }

  private static INDArray array(
      Map<String, Checkpoint.Tensor> tensors, String name, long[] expected)
      throws CheckpointException {
    Checkpoint.Tensor t = tensors.get(name);
    if (t == null) {
      throw new CheckpointException(IN_MEMORY, "no tensor '" + name + "'");
    }
    if (!java.util.Arrays.equals(t.shape(), expected)) {
      throw new CheckpointException(
          IN_MEMORY,
          "tensor '"
              + name
              + "' has shape "
              + java.util.Arrays.toString(t.shape())
              + " but the model expects "
              + java.util.Arrays.toString(expected));
    }
    return Nd4j.create(t.data(), t.shape(), 'c');
  }

  /** {@link #fit(ImageSource, int, List)} with no epoch limit. */
  public void fit(ImageSource train, TrainingListener... listeners) throws IOException {
    fit(train, Integer.MAX_VALUE, List.of(listeners));
  }

  /**
   * Trains until {@code config.epochs()} epochs are done, or {@code maxEpochs} more in this call,
   * calling the listeners in order.
   *
   * @throws TrainingDivergedException when the loss or a weight stops being finite; listeners were
   *     not told of that epoch's end
   * @throws IllegalArgumentException when the task needs labels and {@code train} has none
   * @throws IOException when a listener fails to write
   */
  public void fit(ImageSource train, int maxEpochs, List<TrainingListener> listeners)
      throws IOException {
    checkData(train);
    int batchSize = config.batchSize();
    int perEpoch = Batches.batchesPerEpoch(train.count(), batchSize, false);
    planSteps(stepsFor(train.count()));
    recordData(train);
    int end = (int) Math.min(config.epochs(), (long) epochsDone + maxEpochs);
    while (epochsDone < end) {
      int epoch = epochsDone;
      for (TrainingListener l : listeners) l.epochStarted(this, epoch, config.epochs(), perEpoch);
      List<Batches.Batch> batches =
          Batches.epoch(train.count(), batchSize, config.seed(), epoch, false);
      long start = System.nanoTime();
      double lossSum = 0;
      int seen = 0;
      double lr = 0;
      ImageSource view = train.forEpoch(config.seed(), epoch);
      try (PrefetchedImages ahead =
          prefetchThreads == 0
              ? null
              : PrefetchedImages.open(
                  view,
                  batches.stream().map(Batches.Batch::indices).toList(),
                  prefetchThreads,
                  prefetchDepth)) {
        ImageSource images = ahead == null ? view : ahead;
        for (Batches.Batch batch : batches) {
          lr = lr();
          Map<String, INDArray> feeds =
              task.feeds(Batch.read(images, batch.indices(), Batches.mix(config.seed(), step)));
          double loss = trainStep(feeds);
          release(feeds);
          if (!Double.isFinite(loss))
            throw new TrainingDivergedException(epoch, step, "loss is " + loss);
          lossSum += loss * batch.size();
          seen += batch.size();
          var result = new TrainingListener.StepResult(epoch, step, loss, batch.size(), lr);
          for (TrainingListener l : listeners) l.stepDone(this, result);
        }
      }
      String bad = firstNonFiniteParam();
      if (bad != null) {
        throw new TrainingDivergedException(epoch, step, "parameter " + bad + " is not finite");
      }
      epochsDone++;
      var result =
          new TrainingListener.EpochResult(
              epochsDone,
              step,
              lossSum / seen,
              lr,
              (System.nanoTime() - start) / 1e9,
              seen,
              new LinkedHashMap<>());
      for (TrainingListener l : listeners) l.epochDone(this, result);
    }
  }

  /**
   * Frees the native memory of a batch's feeds once an engine other than SameDiff (which may keep
   * references to its inputs) has consumed them: ND4J frees native buffers only when their Java
   * owners are collected, and without SameDiff's garbage there is little to make the JVM collect.
   */
  private void release(Map<String, INDArray> feeds) {
    if (engine == null || engine instanceof SameDiffEngine) return;
    for (INDArray a : feeds.values()) if (a.closeable()) a.close();
  }

  /**
   * Records what the training data is in the checkpoints: its name and its {@link
   * ImageSource#provenance()} (preprocessing, augmentation, class names), replacing a previous
   * source's.
   */
  private void recordData(ImageSource train) {
    dataset = train.name();
    info = Map.copyOf(Provenance.replaceIn(info, train.provenance()));
    recorded = train;
  }

  private void checkData(ImageSource train) {
    task.checkData(train);
    if (task.needsLabels() && !train.hasLabels()) {
      throw new IllegalArgumentException(
          "a "
              + task.kind()
              + " model trains on labelled images; "
              + train.name()
              + " has no labels");
    }
  }

  /** The learning rate of the next step, from the schedule. */
  public double lr() {
    requirePlanIf(config.warmupSteps() > 0 || config.cosine(), "the lr schedule");
    return config.lrAt(step, totalSteps);
  }

  /**
   * One optimizer step on the images {@code indices} of {@code data}, with the task's feeds (masks
   * seeded by (seed, step), as in {@link #fit}) and the scheduled lr; plans the run's length from
   * {@code data} when not planned yet.
   *
   * @return the loss before the update
   */
  public double trainStep(ImageSource data, int[] indices) {
    checkData(data);
    if (totalSteps == 0) planSteps(stepsFor(data.count()));
    if (data != recorded) recordData(data);
    return trainStep(task.feeds(Batch.read(data, indices, Batches.mix(config.seed(), step))));
  }

  /**
   * One optimizer step on {@code feeds} at the scheduled lr ({@link #lr()}).
   *
   * @return the loss before the update
   * @throws IllegalStateException when a schedule needs the run's length and {@link #planSteps} was
   *     not called
   */
  public double trainStep(Map<String, INDArray> feeds) {
    return trainStep(feeds, lr());
  }

  /**
   * One optimizer step on {@code feeds} at learning rate {@code lr}; the task's own schedules (EMA
   * momentum) still follow the planned run.
   *
   * @return the loss before the update; the step is skipped when the loss is not finite
   */
  public double trainStep(Map<String, INDArray> feeds, double lr) {
    requirePlanIf(task.schedulesOverRun(), "the " + task.kind() + " schedule (EMA momentum)");
    StepEngine e = openEngine();
    double loss = e.step(feeds, lr, step + 1);
    if (Double.isFinite(loss)) {
      step++;
      task.afterStep(e.params(), step, Math.max(totalSteps, step));
    }
    return loss;
  }

  private StepEngine openEngine() {
    if (engine == null) {
      engine =
          engineFactory.open(
              new StepEngine.Setup(
                  sd,
                  paramNames,
                  trainable,
                  lrScales,
                  config,
                  firstMoments,
                  secondMoments,
                  memoryPolicy));
    }
    return engine;
  }

  /** Closes the open engine, keeping its parameters (in the graph) and moments (here). */
  private void detach() {
    if (engine == null) return;
    engine.syncGraph();
    Map<String, INDArray> m = new LinkedHashMap<>();
    Map<String, INDArray> v = new LinkedHashMap<>();
    engine.firstMoments().forEach((k, a) -> m.put(k, a.dup()));
    engine.secondMoments().forEach((k, a) -> v.put(k, a.dup()));
    firstMoments.clear();
    firstMoments.putAll(m);
    secondMoments.clear();
    secondMoments.putAll(v);
    engine.close();
    engine = null;
  }

  /**
   * Releases the engine's native resources (ONNX Runtime sessions); the trainer stays usable and
   * reopens its engine at the next step.
   */
  @Override
  public void close() {
    detach();
    forwards.close();
  }

  private void requirePlanIf(boolean needed, String what) {
    if (needed && totalSteps == 0) {
      throw new IllegalStateException(
          what
              + " spans the whole run, whose length is unknown: call "
              + "planSteps(totalSteps) before the first trainStep (fit does it from the data)");
    }
  }

  /** The loss of a batch and its gradient for every parameter. */
  public record Gradients(double loss, Map<String, INDArray> byParam) {}

  /**
   * Loss and gradients of the batch in {@code feeds} (each feed has the batch as its first
   * dimension). With micro-batches, the chunks' losses and gradients are averaged weighted by chunk
   * size: the full batch's values, because every vitmae loss weighs each example equally.
   */
  public Gradients gradients(Map<String, INDArray> feeds) {
    if (engine != null) engine.syncGraph();
    SameDiffEngine reference =
        (SameDiffEngine)
            SameDiffEngine.FACTORY.open(
                new StepEngine.Setup(
                    sd, paramNames, trainable, lrScales, config, Map.of(), Map.of(), memoryPolicy));
    return reference.gradients(feeds);
  }

  private String firstNonFiniteParam() {
    for (var e : params().entrySet()) {
      if (!Double.isFinite(e.getValue().sumNumber().doubleValue())) return e.getKey();
    }
    return null;
  }

  /** Live parameter arrays by name (the open engine's). */
  public Map<String, INDArray> params() {
    if (engine != null) return engine.params();
    Map<String, INDArray> out = new LinkedHashMap<>();
    for (String name : paramNames) out.put(name, sd.getArrForVarName(name));
    return out;
  }

  /**
   * Adds {@code more} to what the checkpoints this trainer writes record about the run ({@link
   * Checkpoint#info()}, e.g. the size and seed of a label subset). The training data's provenance
   * (class names, preprocessing, augmentation) is recorded by {@link #fit} and {@link
   * #trainStep(ImageSource, int[])} themselves, from {@link ImageSource#provenance()} (a loop that
   * feeds {@link #trainStep(Map)} directly records none). Returns this trainer.
   */
  public Trainer info(Map<String, String> more) {
    Map<String, String> all = new LinkedHashMap<>(info);
    all.putAll(more);
    this.info = Map.copyOf(all);
    return this;
  }

  /** The per-parameter learning-rate scales ({@link #lrScales(Map)}; empty: all 1). */
  public Map<String, Double> lrScales() {
    return lrScales;
  }

  /** A snapshot of the model, optimizer and progress. */
  public Checkpoint checkpoint() {
    return new Checkpoint(
        task.kind(),
        task.configJson(),
        config,
        new Checkpoint.Progress(
            Checkpoint.FORMAT, task.kind(), epochsDone, step, dataset, engineName()),
        tensors(params()),
        tensors(engine != null ? engine.firstMoments() : firstMoments),
        tensors(engine != null ? engine.secondMoments() : secondMoments),
        tensors(task.ema()),
        info,
        lrScales);
  }

  private static Map<String, Checkpoint.Tensor> tensors(Map<String, INDArray> arrays) {
    Map<String, Checkpoint.Tensor> out = new LinkedHashMap<>();
    arrays.forEach(
        (name, a) -> out.put(name, new Checkpoint.Tensor(a.shape(), a.dup('c').data().asFloat())));
    return out;
  }

  /**
   * The task's metric on {@code data} ({@link Task#evaluate}) at the current weights, its forward
   * passes on this trainer's engine: ONNX Runtime for the ort engine, SameDiff for samediff.
   */
  public double evaluate(ImageSource data, int batchSize) {
    return task.evaluate(graph(), forwards, data, batchSize);
  }

  /** The training graph (shared, not a copy), holding the current parameters. */
  public SameDiff graph() {
    if (engine != null) engine.syncGraph();
    return sd;
  }

  public Task task() {
    return task;
  }

  public TrainConfig config() {
    return config;
  }

  public int epochsDone() {
    return epochsDone;
  }

  public long step() {
    return step;
  }
}
