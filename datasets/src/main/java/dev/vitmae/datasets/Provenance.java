package dev.vitmae.datasets;

import dev.vitmae.contract.MetadataKey;
import dev.vitmae.images.Augmentation;
import dev.vitmae.images.Preprocessing;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What an {@link ImageSource}'s pixels are ({@link ImageSource#provenance()}): the {@link
 * Preprocessing} that turns an image file into them, the training {@link Augmentation} of its
 * per-epoch views, and the class names. The trainer records it in every checkpoint ({@code
 * Checkpoint.info()}) and the exporter copies it into the ONNX metadata, so a served model
 * preprocesses images as its training images were and names its classes, whoever drove the
 * training. Immutable.
 */
public final class Provenance {
  private final Preprocessing preprocessing;
  private final Augmentation augmentation;
  private final List<String> classNames;

  /**
   * @param preprocessing how a file becomes the source's pixels; null when no {@link Preprocessing}
   *     describes them (channels other than 1 or 3)
   * @param augmentation the training views' augmentation, null for none
   * @param classNames class names by class id (empty when unknown)
   */
  public Provenance(
      Preprocessing preprocessing, Augmentation augmentation, List<String> classNames) {
    this.preprocessing = preprocessing;
    this.augmentation = augmentation;
    this.classNames = List.copyOf(classNames);
  }

  /**
   * A source stored at the model's size (IDX, CIFAR-10, synthetic, a {@code float[]}): the identity
   * preprocessing ({@link Preprocessing#of}: an image of that size comes out as its pixels), no
   * augmentation.
   */
  public static Provenance stored(ImageSource source) {
    int channels = source.channels();
    Preprocessing identity =
        channels == 1 || channels == 3 ? Preprocessing.of(source.imageSize(), channels) : null;
    return new Provenance(identity, null, source.classNames());
  }

  public Optional<Preprocessing> preprocessing() {
    return Optional.ofNullable(preprocessing);
  }

  public Optional<Augmentation> augmentation() {
    return Optional.ofNullable(augmentation);
  }

  public List<String> classNames() {
    return classNames;
  }

  /**
   * The metadata keys of checkpoints and ONNX models: {@code vitmae.class.<id>}, {@code
   * vitmae.preprocessing.*} and {@code vitmae.augmentation.*}.
   */
  public Map<String, String> toMetadata() {
    Map<String, String> m = new LinkedHashMap<>();
    MetadataKey.putClassNames(m, classNames);
    if (preprocessing != null) m.putAll(preprocessing.toMetadata());
    if (augmentation != null) m.putAll(augmentation.toMetadata());
    return m;
  }

  /** Whether {@code key} is one that {@link #toMetadata()} may write. */
  public static boolean isKey(String key) {
    return MetadataKey.isClassKey(key)
        || key.startsWith(MetadataKey.PREPROCESSING_PREFIX)
        || key.startsWith(MetadataKey.AUGMENTATION_PREFIX);
  }

  /** {@code info} with its provenance keys replaced by those of {@code provenance}. */
  public static Map<String, String> replaceIn(Map<String, String> info, Provenance provenance) {
    Map<String, String> out = new LinkedHashMap<>();
    info.forEach(
        (k, v) -> {
          if (!isKey(k)) out.put(k, v);
        });
    out.putAll(provenance.toMetadata());
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Provenance p
        && Objects.equals(preprocessing, p.preprocessing)
        && Objects.equals(augmentation, p.augmentation)
        && classNames.equals(p.classNames);
  }

  @Override
  public int hashCode() {
    return Objects.hash(preprocessing, augmentation, classNames);
  }

  @Override
  public String toString() {
    return (preprocessing == null ? "pixels as stored" : preprocessing.toString())
        + (augmentation == null ? "" : "; train views " + augmentation)
        + (classNames.isEmpty() ? "" : "; classes " + classNames);
  }
}
