package dev.vitmae.spark;

import dev.vitmae.contract.ModelKind;
import dev.vitmae.contract.TensorNames;
import dev.vitmae.runtime.Device;
import dev.vitmae.runtime.ModelInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * What the vitmae Spark transformers share: the model (a Hadoop file system URI or bytes), the
 * input column, batching, device, threads, and what happens to bad images.
 *
 * <p>{@link #transform} checks the model on the driver (present, a vitmae model of the right kind,
 * a symbolic batch, a valid recorded preprocessing) before any job runs, broadcasts its bytes, and
 * maps each partition on the executors through one ONNX Runtime session per executor JVM ({@link
 * ExecutorSessions}). The input column is {@code binary} (an encoded file, Spark's {@code
 * binaryFile} source), the struct of Spark's {@code image} source, or {@code array<float>} pixels
 * {@code C×H×W} in [0, 1]; images go through module {@code images}' decoder and the model's
 * preprocessing ({@code VitModel.preprocessing()}). Every input row gives one output row: its
 * columns, the outputs, and {@code error} (null, or the reason with null outputs).
 *
 * @param <T> the concrete transformer, for chained setters
 */
public abstract sealed class VitTransformer<T extends VitTransformer<T>> extends Transformer
    implements MLWritable permits VitEmbedder, VitClassifier, VitReconstructor {

  private final String uid;
  private final Param<String> modelPath;
  private final Param<byte[]> modelBytes;
  private final Param<String> inputCol;
  private final Param<String> pathCol;
  private final Param<String> errorCol;
  private final IntParam batchSize;
  private final Param<String> device;
  private final IntParam threadsPerTask;
  private final BooleanParam failOnBadImage;
  private transient VitMetrics metrics;

  protected VitTransformer(String uid) {
    this.uid = uid;
    modelPath =
        new Param<>(
            this,
            "modelPath",
            "URI of the .onnx model on any Hadoop file system (file:, hdfs:, s3a:)");
    modelBytes =
        new BytesParam(this, "modelBytes", "the .onnx model itself (instead of modelPath)");
    inputCol =
        new Param<>(
            this,
            "inputCol",
            "images: binary (encoded file), Spark's image struct, or array<float> C×H×W pixels");
    pathCol =
        new Param<>(this, "pathCol", "string column naming each image in messages, when present");
    errorCol =
        new Param<>(this, "errorCol", "output: null, or why the row's image could not be read");
    batchSize = new IntParam(this, "batchSize", "images per ONNX Runtime run (>= 1)");
    device = new Param<>(this, "device", "cpu, cuda or auto (CUDA when it loads, else the CPU)");
    threadsPerTask =
        new IntParam(this, "threadsPerTask", "ONNX Runtime threads per run; 0 = spark.task.cpus");
    failOnBadImage =
        new BooleanParam(
            this,
            "failOnBadImage",
            "fail the job naming the file instead of writing the reason to errorCol");
    setDefault(inputCol, "content");
    setDefault(pathCol, "path");
    setDefault(errorCol, "error");
    setDefault(batchSize, 64);
    setDefault(device, "auto");
    setDefault(threadsPerTask, 0);
    setDefault(failOnBadImage, false);
  }

  /** The model kind this transformer serves. */
  protected abstract ModelKind modelKind();

  /** The output columns, in the kernel's order, the error column excluded. */
  protected abstract StructField[] outputFields();

  /** What runs on each batch, for a model of {@link #modelKind()} with contract {@code info}. */
  abstract Kernel<?> kernel(ModelInfo info);

  /**
   * Checks the model's contract beyond its kind, on the driver.
   *
   * @throws IllegalArgumentException naming the model when it does not fit the params
   */
  protected void check(String model, ModelInfo info) {}

  @Override
  public String uid() {
    return uid;
  }

  @Override
  public StructType transformSchema(StructType schema) {
    String in = getInputCol();
    if (!Arrays.asList(schema.fieldNames()).contains(in)) {
      throw new IllegalArgumentException(
          "input column '"
              + in
              + "' not found; columns: "
              + String.join(", ", schema.fieldNames()));
    }
    InputKind.of(in, schema.apply(in).dataType());
    List<StructField> fields = new ArrayList<>(Arrays.asList(schema.fields()));
    List<StructField> out = new ArrayList<>(Arrays.asList(outputFields()));
    out.add(DataTypes.createStructField(getErrorCol(), DataTypes.StringType, true));
    for (StructField f : out) {
      if (Arrays.asList(schema.fieldNames()).contains(f.name())) {
        throw new IllegalArgumentException(
            "output column '" + f.name() + "' already exists in the input");
      }
      fields.add(f);
    }
    return new StructType(fields.toArray(StructField[]::new));
  }

  /**
   * Appends the output columns to {@code dataset}, lazily.
   *
   * @throws IllegalArgumentException on the driver, before any job: no model set, a missing file,
   *     not a vitmae model, the wrong kind, a fixed batch, or a bad input column
   */
  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    StructType schema = dataset.schema();
    StructType outSchema = transformSchema(schema);
    SparkSession spark = dataset.sparkSession();
    ModelSource model = model(spark);
    validate(model);
    Broadcast<byte[]> bytes =
        JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(model.bytes());
    InputKind kind = InputKind.of(getInputCol(), schema.apply(getInputCol()).dataType());
    int path = Arrays.asList(schema.fieldNames()).indexOf(getPathCol());
    if (path >= 0 && !schema.fields()[path].dataType().equals(DataTypes.StringType)) path = -1;
    var columns =
        new BatchRunner.Columns(
            kind, schema.fieldIndex(getInputCol()), path, outputFields().length);
    int threads = getThreadsPerTask() > 0 ? getThreadsPerTask() : taskCpus(spark);
    var key = new SessionKey(model.sha256(), deviceOf(getDevice()), 0, threads);
    ModelInfo info = model.info();
    var runner =
        new BatchRunner(
            key,
            bytes,
            columns,
            info.imageLength(),
            getBatchSize(),
            getFailOnBadImage(),
            kernel(info),
            metrics);
    return dataset.toDF().mapPartitions(runner, Encoders.row(outSchema));
  }

  private ModelSource model(SparkSession spark) {
    if (isDefined(modelBytes)) return ModelSource.of("in-memory model", getOrDefault(modelBytes));
    if (!isDefined(modelPath)) {
      throw new IllegalArgumentException(
          getClass().getSimpleName() + ": set modelPath or modelBytes");
    }
    return ModelSource.read(getModelPath(), spark.sparkContext().hadoopConfiguration());
  }

  private void validate(ModelSource model) {
    ModelInfo info = model.info();
    try {
      info.requireKind(modelKind(), model.name(), getClass().getSimpleName());
    } catch (UnsupportedOperationException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    long batch = info.inputs().get(TensorNames.IMAGES).dim(0);
    if (batch > 0) {
      throw new IllegalArgumentException(
          model.name() + " has a fixed batch of " + batch + "; export it with a symbolic batch");
    }
    if (info.channels() != 1 && info.channels() != 3) {
      throw new IllegalArgumentException(
          model.name()
              + " takes "
              + info.channels()
              + " channels; images have 1 (gray) or 3 (RGB)");
    }
    try {
      info.preprocessing();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(model.name() + ": " + e.getMessage(), e);
    }
    check(model.name(), info);
  }

  private static int taskCpus(SparkSession spark) {
    return Integer.parseInt(spark.conf().get("spark.task.cpus", "1"));
  }

  private static Device deviceOf(String name) {
    try {
      return Device.valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("device must be cpu, cuda or auto, got '" + name + "'");
    }
  }

  @SuppressWarnings("unchecked")
  private T self() {
    return (T) this;
  }

  @Override
  public MLWriter write() {
    return new DefaultParamsWriter(this);
  }

  /** Counters this transformer's jobs add to (not saved with a pipeline). */
  public T setMetrics(VitMetrics metrics) {
    this.metrics = metrics;
    return self();
  }

  public Param<String> modelPath() {
    return modelPath;
  }

  public Param<byte[]> modelBytes() {
    return modelBytes;
  }

  public Param<String> inputCol() {
    return inputCol;
  }

  public Param<String> pathCol() {
    return pathCol;
  }

  public Param<String> errorCol() {
    return errorCol;
  }

  public IntParam batchSize() {
    return batchSize;
  }

  public Param<String> device() {
    return device;
  }

  public IntParam threadsPerTask() {
    return threadsPerTask;
  }

  public BooleanParam failOnBadImage() {
    return failOnBadImage;
  }

  public String getModelPath() {
    return getOrDefault(modelPath);
  }

  public String getInputCol() {
    return getOrDefault(inputCol);
  }

  public String getPathCol() {
    return getOrDefault(pathCol);
  }

  public String getErrorCol() {
    return getOrDefault(errorCol);
  }

  public int getBatchSize() {
    return (Integer) getOrDefault(batchSize);
  }

  public String getDevice() {
    return getOrDefault(device);
  }

  public int getThreadsPerTask() {
    return (Integer) getOrDefault(threadsPerTask);
  }

  public boolean getFailOnBadImage() {
    return (Boolean) getOrDefault(failOnBadImage);
  }

  /** The model's URI on any Hadoop file system; clears {@code modelBytes}. */
  public T setModelPath(String uri) {
    clear(modelBytes);
    set(modelPath, uri);
    return self();
  }

  /** The model itself; clears {@code modelPath}. Saved with a pipeline (base64). */
  public T setModelBytes(byte[] bytes) {
    clear(modelPath);
    set(modelBytes, bytes.clone());
    return self();
  }

  public T setInputCol(String name) {
    set(inputCol, name);
    return self();
  }

  public T setPathCol(String name) {
    set(pathCol, name);
    return self();
  }

  public T setErrorCol(String name) {
    set(errorCol, name);
    return self();
  }

  /**
   * @throws IllegalArgumentException when {@code n < 1}
   */
  public T setBatchSize(int n) {
    if (n < 1) throw new IllegalArgumentException("batchSize must be >= 1, got " + n);
    set(batchSize, n);
    return self();
  }

  /**
   * {@code cpu}, {@code cuda} or {@code auto}; with CUDA the GPU is the task's {@code gpu}
   * resource.
   */
  public T setDevice(String name) {
    deviceOf(name);
    set(device, name.trim().toLowerCase(Locale.ROOT));
    return self();
  }

  /**
   * @throws IllegalArgumentException when {@code n < 0}
   */
  public T setThreadsPerTask(int n) {
    if (n < 0)
      throw new IllegalArgumentException(
          "threadsPerTask must be >= 0 (0 = spark.task.cpus), got " + n);
    set(threadsPerTask, n);
    return self();
  }

  public T setFailOnBadImage(boolean fail) {
    set(failOnBadImage, fail);
    return self();
  }
}
