package dev.vitmae.contract;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * One ONNX {@code metadata_props} key (or checkpoint data-info key) of vitmae's model contract,
 * typed: its name, and how its value is written and read. Every {@code vitmae.*} key is declared
 * here, once; the rest of the code writes {@code MetadataKey.IMAGE_SIZE.put(map, 32)} and reads
 * {@code MetadataKey.IMAGE_SIZE.get(map)}, never the string.
 *
 * <p>A few keys are families with a common prefix: {@link #classKey(int)} ({@code vitmae.class.0},
 * …), {@link #PREPROCESSING_PREFIX}, {@link #AUGMENTATION_PREFIX} and {@link #DATA_PREFIX}.
 *
 * @param <T> the value's type
 */
public final class MetadataKey<T> {

  /** The prefix of every vitmae key. */
  public static final String PREFIX = "vitmae.";

  /** The model's kind ({@link ModelKind#metadataName()}) or a custom model's own name. */
  public static final MetadataKey<String> MODEL = text("model");

  /** The I/O contract version ({@link ModelContract#VERSION}). */
  public static final MetadataKey<String> IO_CONTRACT = text("io_contract");

  /** The model config as JSON (the checkpoint's {@code model.json}). */
  public static final MetadataKey<String> CONFIG = text("config");

  /** The vitmae version that exported the model. */
  public static final MetadataKey<String> VERSION = text("version");

  /** The ONNX opset the model was exported with. */
  public static final MetadataKey<Integer> OPSET = positiveInt("opset");

  /** The kind of the checkpoint the model was exported from ({@code mae}, {@code vit}, …). */
  public static final MetadataKey<String> SOURCE_KIND = text("source_kind");

  /** Epochs trained. */
  public static final MetadataKey<Integer> EPOCHS = nonNegativeInt("epochs");

  /** The training dataset's description. */
  public static final MetadataKey<String> DATASET = text("dataset");

  /** Image height = width, in pixels. */
  public static final MetadataKey<Integer> IMAGE_SIZE = positiveInt("image_size");

  /** Image channels. */
  public static final MetadataKey<Integer> CHANNELS = positiveInt("channels");

  /** Patch side, in pixels. */
  public static final MetadataKey<Integer> PATCH_SIZE = positiveInt("patch_size");

  /** Patches per image. */
  public static final MetadataKey<Integer> NUM_PATCHES = positiveInt("num_patches");

  /** The pixel encoding, in words. */
  public static final MetadataKey<String> INPUT_NORMALIZATION = text("input_normalization");

  /** The patch layout, in einops notation. */
  public static final MetadataKey<String> PATCH_LAYOUT = text("patch_layout");

  /** An MAE's {@code mask} input, in words. */
  public static final MetadataKey<String> MASK = text("mask");

  /** An encoder's pooling ({@code cls} or {@code mean}). */
  public static final MetadataKey<String> POOL = text("pool");

  /** Which weights an encoder holds, in words (I-JEPA: its target encoder). */
  public static final MetadataKey<String> WEIGHTS = text("weights");

  /** An I-JEPA predictor's {@code context_mask} input, in words. */
  public static final MetadataKey<String> CONTEXT_MASK = text("context_mask");

  /** An I-JEPA predictor's {@code target_mask} input, in words. */
  public static final MetadataKey<String> TARGET_MASK = text("target_mask");

  /** An I-JEPA predictor's {@code predicted_tokens} output, in words. */
  public static final MetadataKey<String> PREDICTED_TOKENS = text("predicted_tokens");

  /** An encoder's optional {@code attention} output, in words (present when exported). */
  public static final MetadataKey<String> ATTENTION = text("attention");

  /** A classifier's number of classes. */
  public static final MetadataKey<Integer> NUM_CLASSES = positiveInt("num_classes");

  /**
   * The fraction of patches an MAE was trained to reconstruct, in [0, 1); what serving masks by
   * default. Older files have it only inside {@link #CONFIG}.
   */
  public static final MetadataKey<Double> MASKING_RATIO =
      new MetadataKey<>(
          "masking_ratio",
          v -> {
            double r = Double.parseDouble(v);
            MaeMasking.checkRatio(r);
            return r;
          },
          String::valueOf);

  /** The number of labelled training images when a subset of the labels was used. */
  public static final MetadataKey<Integer> LABELS = nonNegativeInt("labels");

  /** The seed that drew the label subset. */
  public static final MetadataKey<Long> LABELS_SEED =
      new MetadataKey<>("labels_seed", Long::parseLong, String::valueOf);

  /** Fine-tuning: the layer-wise lr decay. */
  public static final MetadataKey<Double> LAYER_DECAY =
      new MetadataKey<>("fine_tune.layer_decay", Double::parseDouble, String::valueOf);

  /** Fine-tuning: whether the encoder was frozen. */
  public static final MetadataKey<Boolean> FREEZE_ENCODER =
      new MetadataKey<>("fine_tune.freeze_encoder", MetadataKey::parseBoolean, String::valueOf);

  /** The format published weights were read from ({@code safetensors}, {@code pytorch}). */
  public static final MetadataKey<String> WEIGHTS_FORMAT = text("weights.format");

  /** Imported weights: the naming scheme they were read as ({@code timm}, {@code mae}, …). */
  public static final MetadataKey<String> IMPORT_SOURCE = text("import.source");

  /** Imported weights: the file's name. */
  public static final MetadataKey<String> IMPORT_FILE = text("import.file");

  /** Imported weights: how many of the file's tensors were mapped onto the model. */
  public static final MetadataKey<Integer> IMPORT_TENSORS = nonNegativeInt("import.tensors");

  /** Imported weights: what the mapping inferred or converted, {@code " | "}-separated. */
  public static final MetadataKey<String> IMPORT_NOTES = text("import.notes");

  /** Imported weights: the file's tensors that belong to other parts (a head, a decoder). */
  public static final MetadataKey<String> IMPORT_NOT_USED = text("import.not_used");

  /** Imported weights: tensors a non-strict import skipped. */
  public static final MetadataKey<String> IMPORT_SKIPPED = text("import.skipped");

  /** Imported weights: parameters the file lacked, left at their initial values (non-strict). */
  public static final MetadataKey<String> IMPORT_INITIALIZED = text("import.initialized");

  /** The training data's preprocessing: the model's image side, after resize and crop. */
  public static final MetadataKey<Integer> PREPROCESSING_IMAGE_SIZE =
      positiveInt("preprocessing.image_size");

  /** The training data's preprocessing: channels, 1 (gray) or 3 (RGB). */
  public static final MetadataKey<Integer> PREPROCESSING_CHANNELS =
      positiveInt("preprocessing.channels");

  /** The training data's preprocessing: how an image is brought to the side (a resize rule). */
  public static final MetadataKey<String> PREPROCESSING_RESIZE = text("preprocessing.resize");

  /** The training data's preprocessing: the resampling filter. */
  public static final MetadataKey<String> PREPROCESSING_INTERPOLATION =
      text("preprocessing.interpolation");

  /**
   * The training data's preprocessing: what transparent pixels are composed on, {@code #RRGGBB}.
   */
  public static final MetadataKey<String> PREPROCESSING_BACKGROUND =
      text("preprocessing.background");

  /** The training data's preprocessing: how a gray image becomes RGB. */
  public static final MetadataKey<String> PREPROCESSING_GRAY_TO_RGB =
      text("preprocessing.gray_to_rgb");

  /** The training data's preprocessing: how an RGB image becomes gray. */
  public static final MetadataKey<String> PREPROCESSING_RGB_TO_GRAY =
      text("preprocessing.rgb_to_gray");

  /** The training data's preprocessing: the pixel layout and range it produces. */
  public static final MetadataKey<String> PREPROCESSING_OUTPUT = text("preprocessing.output");

  /** The training data's preprocessing, in words. */
  public static final MetadataKey<String> PREPROCESSING_DESCRIPTION =
      text("preprocessing.description");

  /** The training augmentation: the random resized crop's area scale range, {@code min,max}. */
  public static final MetadataKey<String> AUGMENTATION_CROP_SCALE =
      text("augmentation.random_resized_crop.scale");

  /** The training augmentation: the random resized crop's aspect ratio range, {@code min,max}. */
  public static final MetadataKey<String> AUGMENTATION_CROP_RATIO =
      text("augmentation.random_resized_crop.ratio");

  /** The training augmentation: whether images were flipped horizontally half the time. */
  public static final MetadataKey<Boolean> AUGMENTATION_HORIZONTAL_FLIP =
      new MetadataKey<>("augmentation.horizontal_flip", MetadataKey::parseBoolean, String::valueOf);

  /** The training augmentation: what seeds each image's draw. */
  public static final MetadataKey<String> AUGMENTATION_SEEDING = text("augmentation.seeding");

  /** The prefix of the recorded preprocessing's keys ({@code vitmae.preprocessing.size}, …). */
  public static final String PREPROCESSING_PREFIX = PREFIX + "preprocessing.";

  /** The prefix of the recorded training augmentation's keys. */
  public static final String AUGMENTATION_PREFIX = PREFIX + "augmentation.";

  /** The prefix under which export records a checkpoint's other data-info entries. */
  public static final String DATA_PREFIX = PREFIX + "data.";

  private static final String CLASS_PREFIX = PREFIX + "class.";

  private final String name;
  private final Function<String, T> parse;
  private final Function<T, String> format;

  private MetadataKey(String suffix, Function<String, T> parse, Function<T, String> format) {
    this.name = PREFIX + suffix;
    this.parse = parse;
    this.format = format;
  }

  /** A text key {@code vitmae.<suffix>}; for a custom model's own metadata. */
  public static MetadataKey<String> text(String suffix) {
    return new MetadataKey<>(suffix, Function.identity(), Function.identity());
  }

  private static MetadataKey<Integer> positiveInt(String suffix) {
    return new MetadataKey<>(suffix, v -> checked(Integer.parseInt(v), 1), String::valueOf);
  }

  private static MetadataKey<Integer> nonNegativeInt(String suffix) {
    return new MetadataKey<>(suffix, v -> checked(Integer.parseInt(v), 0), String::valueOf);
  }

  private static int checked(int value, int min) {
    if (value < min) throw new IllegalArgumentException("must be >= " + min + ", got " + value);
    return value;
  }

  private static boolean parseBoolean(String v) {
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException("expected true or false");
    };
  }

  /** The key as written, e.g. {@code vitmae.image_size}. */
  public String name() {
    return name;
  }

  /** The value as written. */
  public String format(T value) {
    return format.apply(Objects.requireNonNull(value, name));
  }

  /**
   * Reads a written value (surrounding blanks ignored).
   *
   * @throws IllegalArgumentException naming the key and the value when it is malformed
   */
  public T parse(String value) {
    try {
      return parse.apply(value.trim());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "metadata " + name + " = '" + value + "' is malformed: " + e.getMessage(), e);
    }
  }

  /** Writes {@code value} into {@code metadata} under this key. */
  public void put(Map<String, String> metadata, T value) {
    metadata.put(name, format(value));
  }

  /** This key and {@code value} as one map entry, e.g. for {@code Map.ofEntries}. */
  public Map.Entry<String, String> entry(T value) {
    return Map.entry(name, format(value));
  }

  /**
   * The value in {@code metadata}, empty when absent.
   *
   * @throws IllegalArgumentException naming the key when the value is malformed
   */
  public Optional<T> get(Map<String, String> metadata) {
    String value = metadata.get(name);
    return value == null ? Optional.empty() : Optional.of(parse(value));
  }

  /**
   * The value in {@code metadata}.
   *
   * @throws IllegalArgumentException naming the key when it is absent or its value malformed
   */
  public T require(Map<String, String> metadata) {
    String value = metadata.get(name);
    if (value == null) throw new IllegalArgumentException("metadata has no " + name);
    return parse(value);
  }

  /** Whether {@code metadata} has this key. */
  public boolean in(Map<String, String> metadata) {
    return metadata.containsKey(name);
  }

  /** The key of class {@code index}'s name: {@code vitmae.class.<index>}. */
  public static String classKey(int index) {
    if (index < 0) throw new IllegalArgumentException("class index must be >= 0, got " + index);
    return CLASS_PREFIX + index;
  }

  /** Writes {@code names} as {@code vitmae.class.0}, {@code vitmae.class.1}, … */
  public static void putClassNames(Map<String, String> metadata, List<String> names) {
    for (int i = 0; i < names.size(); i++) metadata.put(classKey(i), names.get(i));
  }

  /**
   * The class names recorded as {@code vitmae.class.0}, {@code vitmae.class.1}, … in class order
   * (up to the first missing index); empty when none.
   */
  public static List<String> classNames(Map<String, String> metadata) {
    List<String> names = new ArrayList<>();
    for (String n; (n = metadata.get(classKey(names.size()))) != null; ) names.add(n);
    return names;
  }

  /** Whether {@code key} is a class-name key ({@code vitmae.class.<index>}). */
  public static boolean isClassKey(String key) {
    return key.startsWith(CLASS_PREFIX);
  }

  /** Whether {@code key} is one of vitmae's (starts with {@value #PREFIX}). */
  public static boolean isVitmaeKey(String key) {
    return key.startsWith(PREFIX);
  }

  @Override
  public String toString() {
    return name;
  }
}
