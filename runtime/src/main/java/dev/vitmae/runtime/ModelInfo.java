package dev.vitmae.runtime;

import dev.vitmae.contract.MaeMasking;
import dev.vitmae.contract.MetadataKey;
import dev.vitmae.contract.ModelKind;
import dev.vitmae.contract.PatchGrid;
import dev.vitmae.contract.TensorNames;
import dev.vitmae.images.Preprocessing;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * The I/O contract of an opened model.
 *
 * @param kind what the model computes
 * @param name the {@link MetadataKey#MODEL} name: the kind's name, or a custom model's own
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
   * The patch grid, when the patch size is known.
   *
   * @throws IllegalStateException when neither metadata nor shapes tell the patch size
   */
  public PatchGrid grid() {
    if (patchSize <= 0) {
      throw new IllegalStateException(
          "the model records no " + MetadataKey.PATCH_SIZE + " and its shapes do not tell it");
    }
    return new PatchGrid(imageSize, channels, patchSize);
  }

  /**
   * The class names recorded at training ({@code vitmae.class.0}, {@code vitmae.class.1}, …), in
   * class order; empty when the model records none.
   */
  public List<String> classNames() {
    return MetadataKey.classNames(metadata);
  }

  /**
   * A classifier's number of classes: its {@code logits} width, else {@link
   * MetadataKey#NUM_CLASSES}; empty for other kinds or when neither tells.
   */
  public OptionalInt numClasses() {
    TensorSpec logits = outputs.get(TensorNames.LOGITS);
    if (logits != null && logits.rank() == 2 && logits.dim(1) > 0)
      return OptionalInt.of(Math.toIntExact(logits.dim(1)));
    Optional<Integer> declared = metadata(MetadataKey.NUM_CLASSES);
    return declared.isPresent() ? OptionalInt.of(declared.get()) : OptionalInt.empty();
  }

  /**
   * The masking ratio an MAE was trained with: {@link MetadataKey#MASKING_RATIO}, or in files
   * exported before that key the {@code maskingRatio} of the {@link MetadataKey#CONFIG} JSON; empty
   * when the model records neither.
   *
   * @throws InvalidModelException when the recorded value is malformed or outside [0, 1)
   */
  public OptionalDouble maskingRatio() {
    Optional<Double> ratio = metadata(MetadataKey.MASKING_RATIO);
    if (ratio.isPresent()) return OptionalDouble.of(ratio.get());
    Optional<String> config = metadata(MetadataKey.CONFIG);
    if (config.isEmpty()) return OptionalDouble.empty();
    OptionalDouble legacy = ConfigJson.topLevelNumber(config.get(), "maskingRatio");
    if (legacy.isPresent()) {
      try {
        MaeMasking.checkRatio(legacy.getAsDouble());
      } catch (IllegalArgumentException e) {
        throw new InvalidModelException(MetadataKey.CONFIG + ": " + e.getMessage(), e);
      }
    }
    return legacy;
  }

  /**
   * The masking ratio to serve with: {@link #maskingRatio()}, else {@link
   * MaeMasking#DEFAULT_RATIO}.
   */
  public double maskingRatioOrDefault() {
    return maskingRatio().orElse(MaeMasking.DEFAULT_RATIO);
  }

  /**
   * The preprocessing that turns any image into this model's input: the recorded {@code
   * vitmae.preprocessing.*} keys, else resize + centre crop to the input's size and channels
   * ({@link ModelPreprocessing}). {@link VitModel} computes it once, at open.
   *
   * @throws InvalidModelException when the recorded preprocessing is malformed or disagrees with
   *     the {@code images} input
   */
  public Preprocessing preprocessing() {
    return ModelPreprocessing.of(this);
  }

  /**
   * The one check of a model's kind, for everything that serves one kind (the runtime's views, the
   * command line, Spark).
   *
   * @param source the model's file or description, for the message
   * @param user what needs the kind, e.g. {@code encoder()}
   * @throws UnsupportedOperationException naming the model's actual kind when it is not {@code
   *     expected}
   */
  public void requireKind(ModelKind expected, String source, String user) {
    if (kind == expected) return;
    throw new UnsupportedOperationException(
        user
            + " needs "
            + article(expected.metadataName())
            + " model, but "
            + source
            + " is "
            + article(kind == ModelKind.CUSTOM ? name : kind.metadataName())
            + " model");
  }

  private static String article(String word) {
    return (word.matches("[aeiou].*") ? "an " : "a ") + word;
  }

  /** A metadata value by name, e.g. a custom model's own key. */
  public Optional<String> metadata(String key) {
    return Optional.ofNullable(metadata.get(key));
  }

  /**
   * A typed metadata value, e.g. {@code metadata(MetadataKey.EPOCHS)}.
   *
   * @throws InvalidModelException naming the key when its value is malformed
   */
  public <T> Optional<T> metadata(MetadataKey<T> key) {
    try {
      return key.get(metadata);
    } catch (IllegalArgumentException e) {
      throw new InvalidModelException(e.getMessage(), e);
    }
  }
}
