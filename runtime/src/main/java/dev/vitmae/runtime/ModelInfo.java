package dev.vitmae.runtime;

import java.util.Map;
import java.util.Optional;

/**
 * The I/O contract of an opened model.
 *
 * @param kind what the model computes
 * @param name the {@code vitmae.model} name: the kind's name, or a custom model's own
 * @param imageSize image height = width, in pixels
 * @param channels image channels
 * @param patchSize patch side in pixels, 0 when neither metadata nor shapes tell it
 * @param numPatches patches per image (length of one {@code mask} row), 0 when unknown (never for
 *     MAE)
 * @param inputs inputs by name, as ONNX Runtime reports them
 * @param outputs outputs by name
 * @param metadata the raw ONNX {@code metadata_props} ({@code vitmae.*} and any other keys)
 */
public record ModelInfo(
    ModelKind kind,
    String name,
    int imageSize,
    int channels,
    int patchSize,
    int numPatches,
    Map<String, TensorSpec> inputs,
    Map<String, TensorSpec> outputs,
    Map<String, String> metadata) {

  public ModelInfo {
    inputs = Map.copyOf(inputs);
    outputs = Map.copyOf(outputs);
    metadata = Map.copyOf(metadata);
  }

  /** Floats in one image: channels × imageSize × imageSize. */
  public int imageLength() {
    return channels * imageSize * imageSize;
  }

  /**
   * The class names recorded at training ({@code vitmae.class.0}, {@code vitmae.class.1}, …), in
   * class order; empty when the model records none.
   */
  public java.util.List<String> classNames() {
    java.util.List<String> names = new java.util.ArrayList<>();
    for (String name; (name = metadata.get("vitmae.class." + names.size())) != null; )
      names.add(name);
    return names;
  }

  /** A metadata value, e.g. {@code metadata("vitmae.config")}. */
  public Optional<String> metadata(String key) {
    return Optional.ofNullable(metadata.get(key));
  }
}
