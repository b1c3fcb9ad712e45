package dev.vitmae.graph.train;

import dev.vitmae.contract.MetadataKey;
import dev.vitmae.contract.ModelKind;
import dev.vitmae.graph.config.ViTConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * One model a trained {@link Task} provides for serving: how to build its inference graph, which of
 * the task's weights it holds, which variables are its outputs, and what its ONNX metadata says.
 * The exporter builds the graph, loads the weights by variable name and writes {@code <name>.onnx}.
 *
 * @param name file name and {@code vitmae.model} metadata value, e.g. {@code encoder}; lower-case
 *     letters, digits, {@code _} and {@code -}
 * @param outputs the graph variables that become the model's outputs
 * @param weights whether the trainable variables come from the task's parameters or its EMA weights
 *     ({@link Task#ema()})
 * @param metadata model-specific ONNX metadata (the exporter adds version, config, opset, epochs)
 * @param graph builds the inference graph, freshly initialized, with the given data type
 * @param inputs the inputs besides {@code images} (masks), sampled for a batch: what parity checks
 *     and benchmarks feed; {@link #IMAGES_ONLY} for models that take images alone
 */
public record InferenceModel(
    String name,
    List<String> outputs,
    Weights weights,
    Map<String, String> metadata,
    GraphBuilder graph,
    InputSampler inputs) {
  /** Model names of vitmae's built-in tasks: the contract's {@link ModelKind} names. */
  public static final String ENCODER = ModelKind.ENCODER.metadataName();

  public static final String MAE = ModelKind.MAE.metadataName();
  public static final String CLASSIFIER = ModelKind.CLASSIFIER.metadataName();
  public static final String PREDICTOR = ModelKind.PREDICTOR.metadataName();

  /** No inputs besides {@code images}. */
  public static final InputSampler IMAGES_ONLY = (batch, seed) -> Map.of();

  /** A model that takes {@code images} only. */
  public InferenceModel(
      String name,
      List<String> outputs,
      Weights weights,
      Map<String, String> metadata,
      GraphBuilder graph) {
    this(name, outputs, weights, metadata, graph, IMAGES_ONLY);
  }

  /**
   * Valid values of a model's inputs other than {@code images} for {@code batch} images, seeded:
   * each a row-major {@code float[]} of the input's shape, by input name.
   */
  @FunctionalInterface
  public interface InputSampler {
    Map<String, float[]> sample(int batch, long seed);
  }

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]*");

  /** Where the weights of an inference model come from. */
  public enum Weights {
    /** The trained parameters. */
    PARAMS,
    /** The task's exponential-moving-average weights (I-JEPA's target encoder). */
    EMA
  }

  /** Builds an inference graph. */
  @FunctionalInterface
  public interface GraphBuilder {
    SameDiff build(DataType dtype);
  }

  public InferenceModel {
    Objects.requireNonNull(name, "name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "model name '"
              + name
              + "' must be lower-case letters, digits, '_' or '-' (it becomes a file name)");
    }
    if (outputs == null || outputs.isEmpty()) {
      throw new IllegalArgumentException("model " + name + " has no outputs");
    }
    outputs = List.copyOf(outputs);
    Objects.requireNonNull(weights, "weights");
    metadata = Map.copyOf(metadata);
    Objects.requireNonNull(graph, "graph");
    Objects.requireNonNull(inputs, "inputs");
  }

  /**
   * The image metadata the runtime reads for a model over images of {@code encoder}'s geometry:
   * {@link MetadataKey#IMAGE_SIZE}, {@link MetadataKey#CHANNELS}, {@link MetadataKey#PATCH_SIZE},
   * {@link MetadataKey#NUM_PATCHES}, and the pixel layout.
   */
  public static Map<String, String> imageMetadata(ViTConfig encoder) {
    Map<String, String> m = new LinkedHashMap<>();
    MetadataKey.IMAGE_SIZE.put(m, encoder.imageSize());
    MetadataKey.CHANNELS.put(m, encoder.channels());
    MetadataKey.PATCH_SIZE.put(m, encoder.patchSize());
    MetadataKey.NUM_PATCHES.put(m, encoder.numPatches());
    MetadataKey.INPUT_NORMALIZATION.put(
        m, "float32 NCHW pixels in [0,1] (byte / 255), no mean/std");
    MetadataKey.PATCH_LAYOUT.put(m, "b c (h p1) (w p2) -> b (h w) (p1 p2 c)");
    return m;
  }

  /** {@code base} plus {@code extra} (extra wins), insertion-ordered. */
  public static Map<String, String> merge(Map<String, String> base, Map<String, String> extra) {
    Map<String, String> m = new LinkedHashMap<>(base);
    m.putAll(extra);
    return m;
  }
}
