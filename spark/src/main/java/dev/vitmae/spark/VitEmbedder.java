package dev.vitmae.spark;

import dev.vitmae.contract.ModelKind;
import dev.vitmae.runtime.ModelInfo;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * Embeds images with a vitmae ENCODER model: {@code embedding} {@code array<float>} of the model's
 * width (the cls token or the mean of the patch tokens, as the model was exported), and, when
 * {@code tokensCol} is set, the tokens {@code array<array<float>>} {@code [numTokens][dim]}.
 *
 * <pre>{@code
 * Dataset<Row> files = spark.read().format("binaryFile").load("photos/*.png");
 * Dataset<Row> embedded = new VitEmbedder().setModelPath("hdfs:///models/encoder.onnx").transform(files);
 * }</pre>
 */
public final class VitEmbedder extends VitTransformer<VitEmbedder> {

  private final Param<String> outputCol;
  private final Param<String> tokensCol;

  public VitEmbedder() {
    this(Identifiable.randomUID("vitEmbedder"));
  }

  public VitEmbedder(String uid) {
    super(uid);
    outputCol = new Param<>(this, "outputCol", "output: the pooled embedding, array<float> [dim]");
    tokensCol =
        new Param<>(
            this, "tokensCol", "output, when set: the tokens, array<array<float>> [n][dim]");
    setDefault(outputCol, "embedding");
  }

  /** Reads a saved embedder (also what {@code PipelineModel.load} calls). */
  public static MLReader<VitEmbedder> read() {
    return new DefaultParamsReader<>();
  }

  public static VitEmbedder load(String path) {
    return read().load(path);
  }

  @Override
  protected ModelKind modelKind() {
    return ModelKind.ENCODER;
  }

  @Override
  protected StructField[] outputFields() {
    var array = DataTypes.createArrayType(DataTypes.FloatType, false);
    var embedding = DataTypes.createStructField(getOutputCol(), array, true);
    if (!isDefined(tokensCol)) return new StructField[] {embedding};
    var tokens =
        DataTypes.createStructField(getTokensCol(), DataTypes.createArrayType(array, false), true);
    return new StructField[] {embedding, tokens};
  }

  @Override
  Kernel<?> kernel(ModelInfo info) {
    return new EmbedKernel(isDefined(tokensCol));
  }

  @Override
  public VitEmbedder copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  public Param<String> outputCol() {
    return outputCol;
  }

  public Param<String> tokensCol() {
    return tokensCol;
  }

  public String getOutputCol() {
    return getOrDefault(outputCol);
  }

  public String getTokensCol() {
    return getOrDefault(tokensCol);
  }

  public VitEmbedder setOutputCol(String name) {
    set(outputCol, name);
    return this;
  }

  /** Also output the tokens, in column {@code name}. */
  public VitEmbedder setTokensCol(String name) {
    set(tokensCol, name);
    return this;
  }
}
