package dev.vitmae.spark;

import dev.vitmae.contract.MaeMasking;
import dev.vitmae.contract.ModelKind;
import dev.vitmae.runtime.ModelInfo;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * Reconstructs images with a vitmae MAE model under seeded random masks: {@code reconstruction}
 * {@code array<float>} {@code C×H×W}, {@code mask} {@code array<float>} {@code [numPatches]} (1 =
 * masked and predicted), and {@code maskedMse} float, the mean squared error over the masked
 * patches' pixels.
 *
 * <p>Each image hides {@code int(maskingRatio × numPatches)} patches, chosen from {@code seed} and
 * the image's own pixels, so a retried task or another partitioning gives the same masks. {@code
 * maskingRatio} defaults to the ratio the model was trained with ({@link
 * ModelInfo#maskingRatio()}), else {@link dev.vitmae.contract.MaeMasking#DEFAULT_RATIO}.
 */
public final class VitReconstructor extends VitTransformer<VitReconstructor> {

  private final Param<String> reconstructionCol;
  private final Param<String> maskCol;
  private final Param<String> maskedMseCol;
  private final DoubleParam maskingRatio;
  private final LongParam seed;

  public VitReconstructor() {
    this(Identifiable.randomUID("vitReconstructor"));
  }

  public VitReconstructor(String uid) {
    super(uid);
    reconstructionCol = new Param<>(this, "reconstructionCol", "output: array<float> C×H×W");
    maskCol =
        new Param<>(this, "maskCol", "output: the mask, array<float> [numPatches], 1 = masked");
    maskedMseCol = new Param<>(this, "maskedMseCol", "output: MSE over the masked pixels, float");
    maskingRatio = new DoubleParam(this, "maskingRatio", "fraction of patches masked, in [0, 1)");
    seed = new LongParam(this, "seed", "mask seed (masks also depend on each image's pixels)");
    setDefault(reconstructionCol, "reconstruction");
    setDefault(maskCol, "mask");
    setDefault(maskedMseCol, "maskedMse");
    setDefault(seed, 0L);
  }

  /** Reads a saved reconstructor (also what {@code PipelineModel.load} calls). */
  public static MLReader<VitReconstructor> read() {
    return new DefaultParamsReader<>();
  }

  public static VitReconstructor load(String path) {
    return read().load(path);
  }

  @Override
  protected ModelKind modelKind() {
    return ModelKind.MAE;
  }

  @Override
  protected StructField[] outputFields() {
    var floats = DataTypes.createArrayType(DataTypes.FloatType, false);
    return new StructField[] {
      DataTypes.createStructField(getReconstructionCol(), floats, true),
      DataTypes.createStructField(getMaskCol(), floats, true),
      DataTypes.createStructField(getMaskedMseCol(), DataTypes.FloatType, true)
    };
  }

  @Override
  Kernel<?> kernel(ModelInfo info) {
    return new ReconstructKernel(ratio(info), getSeed(), info.grid());
  }

  /** The mask ratio used for a model with contract {@code info}. */
  double ratio(ModelInfo info) {
    if (isDefined(maskingRatio)) return (Double) getOrDefault(maskingRatio);
    return info.maskingRatioOrDefault();
  }

  @Override
  public VitReconstructor copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  public Param<String> reconstructionCol() {
    return reconstructionCol;
  }

  public Param<String> maskCol() {
    return maskCol;
  }

  public Param<String> maskedMseCol() {
    return maskedMseCol;
  }

  public DoubleParam maskingRatio() {
    return maskingRatio;
  }

  public LongParam seed() {
    return seed;
  }

  public String getReconstructionCol() {
    return getOrDefault(reconstructionCol);
  }

  public String getMaskCol() {
    return getOrDefault(maskCol);
  }

  public String getMaskedMseCol() {
    return getOrDefault(maskedMseCol);
  }

  public long getSeed() {
    return (Long) getOrDefault(seed);
  }

  public VitReconstructor setReconstructionCol(String name) {
    set(reconstructionCol, name);
    return this;
  }

  public VitReconstructor setMaskCol(String name) {
    set(maskCol, name);
    return this;
  }

  public VitReconstructor setMaskedMseCol(String name) {
    set(maskedMseCol, name);
    return this;
  }

  /**
   * @throws IllegalArgumentException outside [0, 1)
   */
  public VitReconstructor setMaskingRatio(double ratio) {
    MaeMasking.checkRatio(ratio);
    set(maskingRatio, ratio);
    return this;
  }

  public VitReconstructor setSeed(long value) {
    set(seed, value);
    return this;
  }
}
