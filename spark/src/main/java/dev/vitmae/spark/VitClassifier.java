package dev.vitmae.spark;

import dev.vitmae.contract.ModelKind;
import dev.vitmae.runtime.ModelInfo;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * Classifies images with a vitmae CLASSIFIER model: {@code prediction} int (the argmax of the
 * logits), {@code className} string when {@code classNames} is set, and {@code probabilities}
 * {@code array<float>} {@code [classes]} (softmax of the logits).
 */
public final class VitClassifier extends VitTransformer<VitClassifier> {

  private final Param<String> predictionCol;
  private final Param<String> classNameCol;
  private final Param<String> probabilityCol;
  private final StringArrayParam classNames;

  public VitClassifier() {
    this(Identifiable.randomUID("vitClassifier"));
  }

  public VitClassifier(String uid) {
    super(uid);
    predictionCol = new Param<>(this, "predictionCol", "output: the class index, int");
    classNameCol =
        new Param<>(this, "classNameCol", "output, with classNames: the class name, string");
    probabilityCol =
        new Param<>(this, "probabilityCol", "output: softmax probabilities, array<float>");
    classNames = new StringArrayParam(this, "classNames", "the name of each class, in index order");
    setDefault(predictionCol, "prediction");
    setDefault(classNameCol, "className");
    setDefault(probabilityCol, "probabilities");
  }

  /** Reads a saved classifier (also what {@code PipelineModel.load} calls). */
  public static MLReader<VitClassifier> read() {
    return new DefaultParamsReader<>();
  }

  public static VitClassifier load(String path) {
    return read().load(path);
  }

  @Override
  protected ModelKind modelKind() {
    return ModelKind.CLASSIFIER;
  }

  @Override
  protected StructField[] outputFields() {
    return new StructField[] {
      DataTypes.createStructField(getPredictionCol(), DataTypes.IntegerType, true),
      DataTypes.createStructField(getClassNameCol(), DataTypes.StringType, true),
      DataTypes.createStructField(
          getProbabilityCol(), DataTypes.createArrayType(DataTypes.FloatType, false), true)
    };
  }

  @Override
  protected void check(String model, ModelInfo info) {
    int classes = info.numClasses().orElse(0);
    if (isDefined(classNames) && classes > 0 && getClassNames().length != classes) {
      throw new IllegalArgumentException(
          model + " has " + classes + " classes, classNames has " + getClassNames().length);
    }
  }

  @Override
  Kernel<?> kernel(ModelInfo info) {
    return new ClassifyKernel(isDefined(classNames) ? getClassNames() : recordedNames(info));
  }

  /**
   * The class names the model records ({@code vitmae.class.0}, {@code vitmae.class.1}, … in its
   * metadata), or null when it records none or not one per class.
   */
  static String[] recordedNames(ModelInfo info) {
    java.util.List<String> names = info.classNames();
    return names.isEmpty() || names.size() != info.numClasses().orElse(-1)
        ? null
        : names.toArray(String[]::new);
  }

  @Override
  public VitClassifier copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  public Param<String> predictionCol() {
    return predictionCol;
  }

  public Param<String> classNameCol() {
    return classNameCol;
  }

  public Param<String> probabilityCol() {
    return probabilityCol;
  }

  public StringArrayParam classNames() {
    return classNames;
  }

  public String getPredictionCol() {
    return getOrDefault(predictionCol);
  }

  public String getClassNameCol() {
    return getOrDefault(classNameCol);
  }

  public String getProbabilityCol() {
    return getOrDefault(probabilityCol);
  }

  public String[] getClassNames() {
    return getOrDefault(classNames);
  }

  public VitClassifier setPredictionCol(String name) {
    set(predictionCol, name);
    return this;
  }

  public VitClassifier setClassNameCol(String name) {
    set(classNameCol, name);
    return this;
  }

  public VitClassifier setProbabilityCol(String name) {
    set(probabilityCol, name);
    return this;
  }

  /** Names of the classes, index 0 first (instead of those the model records). */
  public VitClassifier setClassNames(String... names) {
    set(classNames, names.clone());
    return this;
  }
}
