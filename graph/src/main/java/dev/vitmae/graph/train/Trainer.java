package dev.vitmae.graph.train;

import dev.vitmae.datasets.Batches;
import dev.vitmae.datasets.DatasetSplits;
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
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The training loop shared by every {@link Task}: seeded batches and masks, Adam, per-epoch
 * evaluation, metrics CSV, atomic checkpoints, resume and a NaN guard.
 *
 * <p>Batch order is a function of (seed, epoch) and each step's masks of (seed, step), so a run
 * resumed from the checkpoint of epoch N continues exactly as the uninterrupted run would.
 */
public final class Trainer {
  /** File name of the latest checkpoint inside the run directory. */
  public static final String CHECKPOINT = "checkpoint.zip";
  /** File name of the per-epoch metrics inside the run directory. */
  public static final String METRICS = "metrics.csv";
  /** Names a checkpoint given as an object rather than read from a file, in error messages. */
  private static final Path IN_MEMORY = Path.of("(in memory)");

  private final Task task;
  private final TrainConfig config;
  private final SameDiff sd;
  private final List<String> paramNames;
  private final Adam adam;
  private int epochsDone;
  private long step;
  /** Steps of the whole run once {@link #fit} knows the data; 0 before (EMA schedules start). */
  private long totalSteps;

  /** A trainer with freshly initialized weights (seeded by {@code config.seed()}). */
  public Trainer(Task task, TrainConfig config) {
    this.task = task;
    this.config = config;
    this.sd = task.build(DataType.FLOAT, config.seed());
    this.paramNames = sd.variables().stream()
        .filter(v -> v.getVariableType() == VariableType.VARIABLE).map(SDVariable::name).toList();
    this.adam = new Adam(config);
    createGradFunctionQuietly(sd);
    task.paramsSet(params());
  }

  /** SameDiff prints a line per differentiated op to System.out while building the backward pass. */
  private static void createGradFunctionQuietly(SameDiff sd) {
    java.io.PrintStream out = System.out;
    System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
    try {
      sd.createGradFunction();
    } finally {
      System.setOut(out);
    }
  }

  /**
   * A trainer that continues {@code checkpoint}; {@code config} may raise the epoch count.
   *
   * @throws CheckpointException when the checkpoint is for another model or its tensors do not fit
   */
  public static Trainer resume(Task task, TrainConfig config, Checkpoint checkpoint)
      throws CheckpointException {
    if (checkpoint.kind() != task.kind() || !checkpoint.modelJson().equals(task.configJson())) {
      throw new CheckpointException(IN_MEMORY, "holds a " + checkpoint.kind() + " with config "
          + checkpoint.modelJson() + ", not the requested " + task.kind() + " " + task.configJson());
    }
    Trainer t = new Trainer(task, config);
    t.loadParams(checkpoint.params(), false);
    for (String name : t.paramNames) {
      t.adam.firstMoments().put(name, t.array(checkpoint.adamM(), name));
      t.adam.secondMoments().put(name, t.array(checkpoint.adamV(), name));
    }
    for (var e : task.ema().entrySet()) {
      e.getValue().assign(array(checkpoint.ema(), e.getKey(), e.getValue().shape()));
    }
    t.epochsDone = checkpoint.progress().epochsDone();
    t.step = checkpoint.progress().step();
    return t;
  }

  /**
   * Copies the parameters whose names are in {@code tensors} (all of them, or with
   * {@code partial} only those present, e.g. the {@code encoder/} weights of a ViT into an MAE).
   *
   * @return the names copied
   */
  public List<String> loadParams(Map<String, Checkpoint.Tensor> tensors, boolean partial)
      throws CheckpointException {
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

  private static INDArray array(Map<String, Checkpoint.Tensor> tensors, String name,
      long[] expected) throws CheckpointException {
    Checkpoint.Tensor t = tensors.get(name);
    if (t == null) {
      throw new CheckpointException(IN_MEMORY, "no tensor '" + name + "'");
    }
    if (!java.util.Arrays.equals(t.shape(), expected)) {
      throw new CheckpointException(IN_MEMORY, "tensor '" + name + "' has shape "
          + java.util.Arrays.toString(t.shape()) + " but the model expects "
          + java.util.Arrays.toString(expected));
    }
    return Nd4j.create(t.data(), t.shape(), 'c');
  }

  /**
   * Trains until {@code config.epochs()} epochs are done, or {@code maxEpochs} more in this call,
   * writing {@link #CHECKPOINT} and {@link #METRICS} into {@code runDir} after each epoch.
   *
   * @throws TrainingDivergedException when the loss or a weight stops being finite; the last good
   *     checkpoint is left in place
   */
  public void fit(DatasetSplits data, Path runDir, int maxEpochs, TrainingListener listener)
      throws IOException {
    int batchSize = config.batchSize();
    int perEpoch = Batches.batchesPerEpoch(data.train().count(), batchSize, false);
    totalSteps = (long) perEpoch * config.epochs();
    int end = (int) Math.min(config.epochs(), (long) epochsDone + maxEpochs);
    MetricsCsv metrics = new MetricsCsv(runDir.resolve(METRICS), task.metricName());
    while (epochsDone < end) {
      int epoch = epochsDone;
      listener.epochStarted(epoch, config.epochs(), perEpoch);
      long start = System.nanoTime();
      double lossSum = 0;
      int seen = 0;
      double lr = 0;
      for (Batches.Batch batch : Batches.epoch(data.train().count(), batchSize, config.seed(), epoch, false)) {
        lr = config.lrAt(step, totalSteps);
        double loss = trainStep(task.feeds(data.train(), batch.indices(),
            Batches.mix(config.seed(), step)), lr);
        if (!Double.isFinite(loss)) {
          throw new TrainingDivergedException(epoch, step, "loss is " + loss, runDir.resolve(CHECKPOINT));
        }
        lossSum += loss * batch.size();
        seen += batch.size();
        listener.stepDone(epoch, step, loss, batch.size());
      }
      String bad = firstNonFiniteParam();
      if (bad != null) {
        throw new TrainingDivergedException(epoch, step, "parameter " + bad + " is not finite",
            runDir.resolve(CHECKPOINT));
      }
      double metric = task.evaluate(sd, data.requireTest(), Math.max(batchSize, 256));
      double seconds = (System.nanoTime() - start) / 1e9;
      epochsDone++;
      checkpoint(data.train().name()).write(runDir.resolve(CHECKPOINT));
      metrics.append(epochsDone, step, lossSum / seen, metric, lr, seconds, seen / seconds);
      listener.epochDone(epochsDone, lossSum / seen, task.metricName(), metric);
    }
  }

  /** One optimizer step on {@code feeds}; returns the loss before the update. */
  public double trainStep(Map<String, INDArray> feeds, double lr) {
    Gradients g = gradients(feeds);
    if (Double.isFinite(g.loss())) {
      step++;
      Map<String, INDArray> params = params();
      adam.step(params, g.byParam(), lr, step);
      task.afterStep(params, step, totalSteps);
    }
    return g.loss();
  }

  /** The loss of a batch and its gradient for every parameter. */
  record Gradients(double loss, Map<String, INDArray> byParam) {}

  /**
   * Loss and gradients of the batch in {@code feeds} (each feed has the batch as its first
   * dimension). With micro-batches, the chunks' losses and gradients are averaged weighted by
   * chunk size: the full batch's values, because every vitmae loss weighs each example equally.
   */
  Gradients gradients(Map<String, INDArray> feeds) {
    long n = feeds.values().iterator().next().size(0);
    long chunk = config.microBatchSize() > 0 ? Math.min(n, config.microBatchSize()) : n;
    double loss = 0;
    Map<String, INDArray> grads = new LinkedHashMap<>();
    for (long from = 0; from < n; from += chunk) {
      long to = Math.min(n, from + chunk);
      double weight = (double) (to - from) / n;
      OutAndGrad og = sd.calculateGradientsAndOutputs(rows(feeds, from, to, n),
          List.of(Names.LOSS), paramNames);
      loss += weight * og.getOutputs().get(Names.LOSS).getDouble(0);
      og.getGradients().forEach((name, g) -> grads.merge(name, g.mul(weight), INDArray::addi));
      releaseNativeMemory();
    }
    return new Gradients(loss, grads);
  }

  /** Rows {@code [from, to)} of every feed (the feeds themselves when that is all of them). */
  private static Map<String, INDArray> rows(Map<String, INDArray> feeds, long from, long to,
      long n) {
    if (from == 0 && to == n) return feeds;
    Map<String, INDArray> out = new LinkedHashMap<>();
    feeds.forEach((k, v) -> out.put(k, v.get(NDArrayIndex.interval(from, to)).dup('c')));
    return out;
  }

  /**
   * ND4J frees an array's native buffer only when the Java GC collects its owner, and a step
   * allocates ~10 KB per image per op (5 GB at batch 512) while the Java heap barely grows, so
   * the GC would rarely run: RSS climbed past 15 GB and every step paid for fresh pages (4–5×
   * slower in our measurements). A young collection per step (~35 ms) returns the buffers to
   * the allocator; see docs/BENCHMARKS.md.
   */
  private static void releaseNativeMemory() {
    System.gc();
  }

  private String firstNonFiniteParam() {
    for (String name : paramNames) {
      double sum = sd.getArrForVarName(name).sumNumber().doubleValue();
      if (!Double.isFinite(sum)) return name;
    }
    return null;
  }

  /** Live parameter arrays by name. */
  public Map<String, INDArray> params() {
    Map<String, INDArray> out = new LinkedHashMap<>();
    for (String name : paramNames) out.put(name, sd.getArrForVarName(name));
    return out;
  }

  /** A snapshot of the model, optimizer and progress. */
  public Checkpoint checkpoint(String dataset) {
    return new Checkpoint(task.kind(), task.configJson(), config,
        new Checkpoint.Progress(Checkpoint.FORMAT, task.kind(), epochsDone, step, dataset),
        tensors(params()), tensors(adam.firstMoments()), tensors(adam.secondMoments()),
        tensors(task.ema()));
  }

  private static Map<String, Checkpoint.Tensor> tensors(Map<String, INDArray> arrays) {
    Map<String, Checkpoint.Tensor> out = new LinkedHashMap<>();
    arrays.forEach((name, a) -> out.put(name,
        new Checkpoint.Tensor(a.shape(), a.dup('c').data().asFloat())));
    return out;
  }

  public SameDiff graph() {
    return sd;
  }

  public Task task() {
    return task;
  }

  public int epochsDone() {
    return epochsDone;
  }

  public long step() {
    return step;
  }
}
