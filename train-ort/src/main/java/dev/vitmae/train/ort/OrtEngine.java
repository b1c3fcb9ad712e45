package dev.vitmae.train.ort;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.vitmae.export.OnnxExporter;
import dev.vitmae.export.OnnxTranslator;
import dev.vitmae.export.TrainingStepExporter;
import dev.vitmae.graph.model.Names;
import dev.vitmae.graph.train.StepEngine;
import dev.vitmae.runtime.ModelOptions;
import dev.vitmae.runtime.OrtNative;
import dev.vitmae.runtime.RawSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ONNX Runtime training engine: the trainer's SameDiff graph, SameDiff's own gradient function
 * and the Adam update written as one ONNX graph ({@link TrainingStepExporter}) and run by ONNX
 * Runtime, on the CPU or on CUDA ({@link ModelOptions#device()}).
 *
 * <p>State lives in two sets of buffers — parameters and Adam moments — that alternate between
 * steps: a step reads one set and ONNX Runtime writes the next values straight into the other
 * (pinned outputs, no copies), which then becomes current. An output is never pinned onto a tensor
 * that is an input of the same run (ONNX Runtime accepts that silently and corrupts the input). The
 * buffers are ND4J arrays, so the trainer, the task's EMA and checkpoints read them directly; a
 * step whose loss is not finite leaves the current set as it was.
 *
 * <pre>{@code
 * trainer.engine(OrtEngine.factory());                 // CPU
 * trainer.engine(OrtEngine.factory(ModelOptions.defaults().withDevice(Device.CUDA)));
 * }</pre>
 *
 * <p>With micro-batches ({@code TrainConfig.microBatchSize()} below the batch size) the engine runs
 * the step without its optimizer ({@link TrainingStepExporter#exportGradients}) once per chunk —
 * each run adds the chunk's gradients, weighted by chunk size as the SameDiff engine weighs them,
 * to a running sum held in two more alternating buffers — then the same Adam update as a graph of
 * its own ({@link TrainingStepExporter#exportUpdate}): peak memory that of one chunk's activations.
 * Without them the whole batch is one run of the full step.
 */
public final class OrtEngine implements StepEngine {
  /** The engine's name in checkpoints, metrics and {@code --engine}. */
  public static final String NAME = "ort";

  private static final Logger log = LoggerFactory.getLogger(OrtEngine.class);

  private final StepEngine.Setup setup;
  private final RawSession session;

  /** The Adam update alone, with micro-batches ({@link TrainingStepExporter#exportUpdate}). */
  private final RawSession updateSession;

  private final OrtEnvironment env;
  private final List<String> trainable;
  private final Map<String, Integer> groupOf;
  private final double[] groupScales;

  /** Parameters, first and second moments of the trainable parameters, twice. */
  private final State[] states = new State[2];

  private int current;

  /** Frozen parameters: the graph's own arrays, read only. */
  private final Map<String, INDArray> frozen = new LinkedHashMap<>();

  private final Map<String, OnnxTensor> frozenTensors = new HashMap<>();

  /** Set when the batch runs in micro-batches: gradients per chunk, then the update. */
  private final Accumulation accumulation;

  private final double exportSeconds;
  private final double sessionSeconds;

  /** Opens ORT engines on the CPU with ONNX Runtime's default settings. */
  public static StepEngine.Factory factory() {
    return factory(ModelOptions.defaults(), List.of());
  }

  /** Opens ORT engines with {@code options} (device, threads, optimization level). */
  public static StepEngine.Factory factory(ModelOptions options) {
    return factory(options, List.of());
  }

  /**
   * Opens ORT engines with {@code options} and extra {@link OnnxTranslator}s for ops of a task of
   * your own that the built-in registry does not translate.
   */
  public static StepEngine.Factory factory(ModelOptions options, List<OnnxTranslator> translators) {
    List<OnnxTranslator> extra = List.copyOf(translators);
    return new StepEngine.Factory() {
      @Override
      public String name() {
        return NAME;
      }

      @Override
      public StepEngine open(StepEngine.Setup setup) {
        return new OrtEngine(setup, options, extra);
      }

      @Override
      public StepEngine.Forward forward(SameDiff graph, List<String> outputs) {
        return new OrtForward(graph, outputs, options, extra);
      }
    };
  }

  private OrtEngine(
      StepEngine.Setup setup, ModelOptions options, List<OnnxTranslator> translators) {
    this.setup = setup;
    int micro = setup.config().microBatchSize();
    boolean chunked = micro > 0 && micro < setup.config().batchSize();
    SameDiff sd = setup.graph();
    this.trainable = setup.trainable();
    // One lr group per distinct scale: each group gets its own per-step scalars.
    TreeMap<Double, Integer> groups = new TreeMap<>();
    this.groupOf = new LinkedHashMap<>();
    for (String p : trainable) {
      double scale = setup.lrScales().getOrDefault(p, 1.0);
      groupOf.put(p, groups.computeIfAbsent(scale, s -> groups.size()));
    }
    this.groupScales = new double[groups.size()];
    groups.forEach((scale, g) -> groupScales[g] = scale);
    List<String> frozenNames = new ArrayList<>();
    for (String p : setup.paramNames()) if (!trainable.contains(p)) frozenNames.add(p);

    long t0 = System.nanoTime();
    var spec =
        new TrainingStepExporter.Spec(
            Names.LOSS,
            trainable,
            frozenNames,
            groupOf,
            setup.config().beta1(),
            setup.config().beta2(),
            setup.config().epsilon(),
            setup.config().weightDecay(),
            false,
            OnnxExporter.DEFAULT_OPSET,
            translators);
    var proto =
        chunked
            ? TrainingStepExporter.exportGradients(sd, spec)
            : TrainingStepExporter.export(sd, spec);
    byte[] model = proto.toByteArray();
    byte[] update = chunked ? TrainingStepExporter.exportUpdate(sd, spec).toByteArray() : null;
    long t1 = System.nanoTime();
    // Memory patterns off: measured at batch 512 on the reference MAE, they cost ~1 GB of peak RSS
    // and no speed (docs/BENCHMARKS.md).
    this.session = open(model, "training step", options);
    try {
      this.updateSession = chunked ? open(update, "update", options) : null;
    } catch (RuntimeException e) {
      session.close();
      throw e;
    }
    this.exportSeconds = (t1 - t0) / 1e9;
    this.sessionSeconds = (System.nanoTime() - t1) / 1e9;
    this.env = OrtNative.environment();
    log.info(
        "ONNX Runtime training step: {} nodes, {} MB, written in {} s, session in {} s on {}",
        proto.getGraph().getNodeCount(),
        model.length / 1_000_000,
        String.format(java.util.Locale.ROOT, "%.2f", exportSeconds),
        String.format(java.util.Locale.ROOT, "%.2f", sessionSeconds),
        session.provider());
    this.accumulation = chunked ? new Accumulation() : null;
    try {
      for (int i = 0; i < 2; i++) states[i] = new State();
      for (String p : trainable) {
        INDArray w = sd.getArrForVarName(p);
        states[0].add(p, w, setup.firstMoments().get(p), setup.secondMoments().get(p));
        states[1].add(p, w, null, null);
        if (chunked) accumulation.add(p, w.shape());
      }
      for (String p : frozenNames) {
        INDArray w = contiguous(sd.getArrForVarName(p));
        frozen.put(p, w);
        frozenTensors.put(p, tensor(env, w));
      }
    } catch (OrtException | RuntimeException e) {
      close();
      throw new IllegalStateException("could not allocate the training state: " + e, e);
    }
  }

  /** The execution provider the step runs on, e.g. {@code CPUExecutionProvider}. */
  public String provider() {
    return session.provider();
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String describe() {
    return String.format(
        java.util.Locale.ROOT,
        "ort on %s (%s graph written in %.1f s, session created in %.1f s)",
        provider(),
        accumulation == null
            ? "step"
            : "micro-batches of " + setup.config().microBatchSize() + ": gradient",
        exportSeconds,
        sessionSeconds);
  }

  @Override
  public double step(Map<String, INDArray> feeds, double lr, long t) {
    State in = states[current];
    State out = states[1 - current];
    List<OnnxTensor> owned = new ArrayList<>();
    try {
      double loss;
      if (accumulation != null) {
        loss = accumulation.gradients(feeds, in);
        if (!Double.isFinite(loss)) return loss;
        Map<String, OnnxTensor> inputs = new HashMap<>(in.inputs);
        inputs.putAll(accumulation.sum());
        adamScalars(inputs, lr, t, owned);
        updateSession.session().run(inputs, out.outputs).close();
      } else {
        Map<String, OnnxTensor> inputs = new HashMap<>(in.inputs);
        inputs.putAll(frozenTensors);
        feed(inputs, feeds, owned);
        adamScalars(inputs, lr, t, owned);
        loss = run(session, inputs, out.outputs);
        if (!Double.isFinite(loss)) return loss;
      }
      current = 1 - current;
      return loss;
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime training step failed: " + e.getMessage(), e);
    } finally {
      owned.forEach(OnnxTensor::close);
    }
  }

  /** Opens a session on a written graph. */
  private static RawSession open(byte[] model, String what, ModelOptions options) {
    try {
      return RawSession.open(model, what, options.withMemoryPattern(false));
    } catch (OrtException e) {
      throw new IllegalStateException(
          "ONNX Runtime refused the " + what + " graph: " + e.getMessage(), e);
    }
  }

  /** Runs {@code session} writing into {@code pinned}; returns the loss. */
  private static double run(
      RawSession session, Map<String, OnnxTensor> inputs, Map<String, OnnxTensor> pinned)
      throws OrtException {
    try (OrtSession.Result result = session.session().run(inputs, Set.of(Names.LOSS), pinned)) {
      OnnxValue v = result.get(Names.LOSS).orElseThrow();
      return ((OnnxTensor) v).getFloatBuffer().get(0);
    }
  }

  /**
   * The batch's feeds as tensors over their own memory (closed by the caller via {@code owned}).
   */
  private void feed(
      Map<String, OnnxTensor> inputs, Map<String, INDArray> feeds, List<OnnxTensor> owned)
      throws OrtException {
    for (var e : feeds.entrySet()) {
      OnnxTensor f = tensor(env, contiguous(e.getValue()));
      owned.add(f);
      inputs.put(e.getKey(), f);
    }
  }

  /** The update's per-step scalars: bias correction, and per lr group the decay and step size. */
  private void adamScalars(
      Map<String, OnnxTensor> inputs, double lr, long t, List<OnnxTensor> owned)
      throws OrtException {
    double bc1 = 1 - Math.pow(setup.config().beta1(), t);
    double bc2 = 1 - Math.pow(setup.config().beta2(), t);
    owned.add(scalar(inputs, TrainingStepExporter.SQRT_BIAS_CORRECTION2, Math.sqrt(bc2)));
    for (int g = 0; g < groupScales.length; g++) {
      double groupLr = lr * groupScales[g];
      if (setup.config().weightDecay() > 0) {
        owned.add(
            scalar(inputs, TrainingStepExporter.decay(g), groupLr * setup.config().weightDecay()));
      }
      owned.add(scalar(inputs, TrainingStepExporter.stepSize(g), groupLr / bc1));
    }
  }

  private OnnxTensor scalar(Map<String, OnnxTensor> inputs, String name, double value)
      throws OrtException {
    OnnxTensor s =
        OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[] {(float) value}), new long[0]);
    inputs.put(name, s);
    return s;
  }

  @Override
  public Map<String, INDArray> params() {
    Map<String, INDArray> out = new LinkedHashMap<>();
    State s = states[current];
    for (String p : setup.paramNames())
      out.put(p, s.params.containsKey(p) ? s.params.get(p) : frozen.get(p));
    return out;
  }

  @Override
  public Map<String, INDArray> firstMoments() {
    return states[current].m;
  }

  @Override
  public Map<String, INDArray> secondMoments() {
    return states[current].v;
  }

  @Override
  public void syncGraph() {
    SameDiff sd = setup.graph();
    states[current].params.forEach((p, w) -> sd.getArrForVarName(p).assign(w));
  }

  @Override
  public void close() {
    if (accumulation != null) accumulation.close();
    for (State s : states) if (s != null) s.close();
    frozenTensors.values().forEach(OnnxTensor::close);
    frozenTensors.clear();
    if (session != null) session.close();
    if (updateSession != null) updateSession.close();
  }

  /** One set of trainable parameters and moments, with their ONNX Runtime views. */
  private final class State {
    final Map<String, INDArray> params = new LinkedHashMap<>();
    final Map<String, INDArray> m = new LinkedHashMap<>();
    final Map<String, INDArray> v = new LinkedHashMap<>();

    /** The set read as inputs of a step, by ONNX input name. */
    final Map<String, OnnxTensor> inputs = new HashMap<>();

    /** The same buffers as pinned outputs of the step that writes this set. */
    final Map<String, OnnxTensor> outputs = new HashMap<>();

    /** The parameters alone by input name (the micro-batches' gradient graph reads no moments). */
    final Map<String, OnnxTensor> paramInputs = new HashMap<>();

    void add(String p, INDArray w, INDArray m0, INDArray v0) throws OrtException {
      INDArray wi = w.dup('c');
      params.put(p, wi);
      OnnxTensor wt = tensor(env, wi);
      inputs.put(p, wt);
      paramInputs.put(p, wt);
      INDArray mi = m0 == null ? Nd4j.zeros(DataType.FLOAT, w.shape()) : m0.dup('c');
      INDArray vi = v0 == null ? Nd4j.zeros(DataType.FLOAT, w.shape()) : v0.dup('c');
      m.put(p, mi);
      v.put(p, vi);
      inputs.put(TrainingStepExporter.firstMoment(p), tensor(env, mi));
      inputs.put(TrainingStepExporter.secondMoment(p), tensor(env, vi));
      outputs.put(TrainingStepExporter.next(p), tensor(env, wi));
      outputs.put(TrainingStepExporter.nextFirstMoment(p), tensor(env, mi));
      outputs.put(TrainingStepExporter.nextSecondMoment(p), tensor(env, vi));
    }

    void close() {
      inputs.values().forEach(OnnxTensor::close);
      outputs.values().forEach(OnnxTensor::close);
    }
  }

  /**
   * Micro-batched steps: the gradient graph runs once per chunk, reading the gradient sum so far
   * and writing it with the chunk's weighted gradients added into the other of two buffer sets (the
   * first chunk reads a set of zeros); the update graph then reads the last sum as the gradients.
   */
  private final class Accumulation {
    /**
     * Zeros (the first chunk's sum), then two sets that alternate, by parameter: held here so that
     * the arrays whose memory the tensors below view stay alive.
     */
    final List<Map<String, INDArray>> sets =
        List.of(new HashMap<>(), new HashMap<>(), new HashMap<>());

    /** One tensor over each array of {@link #sets}, closed with the engine. */
    final List<OnnxTensor> tensors = new ArrayList<>();

    /**
     * Each set's tensors by the names it goes by: the gradient graph's input, its pinned output,
     * the update's input.
     */
    final List<Map<String, OnnxTensor>> asInput =
        List.of(new HashMap<>(), new HashMap<>(), new HashMap<>());

    final List<Map<String, OnnxTensor>> asOutput =
        List.of(new HashMap<>(), new HashMap<>(), new HashMap<>());
    final List<Map<String, OnnxTensor>> asGradient =
        List.of(new HashMap<>(), new HashMap<>(), new HashMap<>());

    /** The set that holds the last step's sum. */
    int last;

    void add(String p, long[] shape) throws OrtException {
      for (int i = 0; i < 3; i++) {
        INDArray a = Nd4j.zeros(DataType.FLOAT, shape);
        sets.get(i).put(p, a);
        OnnxTensor t = tensor(env, a);
        tensors.add(t);
        asInput.get(i).put(TrainingStepExporter.gradientSum(p), t);
        asOutput.get(i).put(TrainingStepExporter.nextGradientSum(p), t);
        asGradient.get(i).put(TrainingStepExporter.gradient(p), t);
      }
    }

    /**
     * Runs the gradient graph on each chunk of {@code feeds} at the parameters of {@code state};
     * returns the batch's loss (the chunks' weighted mean), or the first chunk loss that is not
     * finite.
     */
    double gradients(Map<String, INDArray> feeds, State state) throws OrtException {
      long n = feeds.values().iterator().next().size(0);
      long size = Math.min(n, setup.config().microBatchSize());
      double loss = 0;
      int read = 0; // the zeros
      for (long from = 0; from < n; from += size) {
        long to = Math.min(n, from + size);
        double weight = (double) (to - from) / n;
        int write = read == 1 ? 2 : 1;
        List<OnnxTensor> owned = new ArrayList<>();
        try {
          Map<String, OnnxTensor> inputs = new HashMap<>(state.paramInputs);
          inputs.putAll(frozenTensors);
          inputs.putAll(asInput.get(read));
          feed(inputs, StepEngine.rows(feeds, from, to), owned);
          owned.add(scalar(inputs, TrainingStepExporter.CHUNK_WEIGHT, weight));
          double chunkLoss = run(session, inputs, asOutput.get(write));
          if (!Double.isFinite(chunkLoss)) return chunkLoss;
          loss += weight * chunkLoss;
        } finally {
          owned.forEach(OnnxTensor::close);
        }
        read = write;
      }
      last = read;
      return loss;
    }

    /** The last sum as the update graph's gradient inputs. */
    Map<String, OnnxTensor> sum() {
      return asGradient.get(last);
    }

    void close() {
      tensors.forEach(OnnxTensor::close);
    }
  }

  /**
   * {@code a} as a c-ordered array with its own buffer from offset 0: int32 and int64 arrays (index
   * feeds) keep their type, anything else becomes float32.
   */
  static INDArray contiguous(INDArray a) {
    DataType type = a.dataType();
    boolean keep = type == DataType.FLOAT || type == DataType.INT || type == DataType.LONG;
    INDArray f = keep ? a : a.castTo(DataType.FLOAT);
    if (f.ordering() == 'c' && f.offset() == 0 && !f.isView() && f.length() == f.data().length()) {
      return f;
    }
    return f.dup('c');
  }

  /**
   * An ONNX Runtime tensor over the array's own memory (no copy: a direct buffer) of its type:
   * float32, int32 or int64 ({@link #contiguous}).
   */
  static OnnxTensor tensor(OrtEnvironment env, INDArray a) throws OrtException {
    ByteBuffer bytes = a.data().asNio().order(ByteOrder.nativeOrder());
    int length = Math.toIntExact(a.length());
    return switch (a.dataType()) {
      case INT -> OnnxTensor.createTensor(env, bytes.asIntBuffer().limit(length), a.shape());
      case LONG -> OnnxTensor.createTensor(env, bytes.asLongBuffer().limit(length), a.shape());
      case FLOAT -> OnnxTensor.createTensor(env, bytes.asFloatBuffer().limit(length), a.shape());
      default -> throw new IllegalArgumentException("no ONNX Runtime tensor for " + a.dataType());
    };
  }
}
