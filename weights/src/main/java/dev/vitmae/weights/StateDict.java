package dev.vitmae.weights;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The named tensors of a weights file, in file order, with dotted names ({@code
 * blocks.0.attn.qkv.weight}). A checkpoint that nests its state dicts ({@code {"model": {...},
 * "epoch": 3}}, I-JEPA's {@code encoder} / {@code target_encoder} / {@code predictor}) is
 * flattened, so {@link #select(String) select("model.")} gives the model's; {@link
 * #stripPrefix(String) stripPrefix("module.")} undoes DistributedDataParallel's prefix.
 *
 * <p>Tensors are read lazily from the open file: read them before {@link #close()}. Views made by
 * {@code select} and {@code stripPrefix} share the file; closing any of them closes it. A {@code
 * StateDict} is immutable and its tensors may be read from several threads at once.
 *
 * <pre>{@code
 * try (StateDict ckpt = StateDict.read(Path.of("mae_pretrain_vit_base.pth"))) {
 *   StateDict model = ckpt.select("model.").stripPrefix("module.");
 *   float[] w = model.tensor("patch_embed.proj.weight").toFloatArray(); // [768, 3, 16, 16]
 * }
 * }</pre>
 */
public final class StateDict implements AutoCloseable {
  private final Path source;
  private final Map<String, Tensor> tensors;
  private final Map<String, Object> extras;
  private final Map<String, String> metadata;
  private final OpenFile file;

  StateDict(
      Path source,
      Map<String, Tensor> tensors,
      Map<String, Object> extras,
      Map<String, String> metadata,
      OpenFile file) {
    this.source = source;
    this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    this.extras = Collections.unmodifiableMap(new LinkedHashMap<>(extras));
    this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    this.file = file;
  }

  /**
   * Opens a safetensors file or a {@code torch.save} zip checkpoint ({@code .pth}, {@code .pt},
   * {@code .bin}), told apart by their first bytes, not by the file name. Only the header or the
   * pickle is read now; tensor data when a tensor is read.
   *
   * @throws ForbiddenGlobalException if a checkpoint's pickle names a global outside the allow-list
   *     ({@code torch.load(weights_only=True)}'s idea)
   * @throws WeightsFormatException if the file is malformed, truncated, or in the legacy (pre-1.6)
   *     {@code torch.save} format; the message names the tensor and byte where it can
   * @throws IOException if the file cannot be read
   */
  public static StateDict read(Path file) throws IOException {
    byte[] head = new byte[4];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, 4);
    }
    if (n == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
      return TorchCheckpointReader.read(file);
    }
    // PROTO 2, then LONG1 of 10 bytes: torch's legacy magic number 0x1950a86a20f9469cfc6c. A
    // safetensors header length starting with these bytes would exceed its 100 MB bound.
    if (n == 4
        && (head[0] & 0xff) == 0x80
        && head[1] == 2
        && (head[2] & 0xff) == 0x8a
        && head[3] == 10) {
      throw new WeightsFormatException(
          file
              + ": a bare pickle, the legacy torch.save format (before PyTorch 1.6 or"
              + " _use_new_zipfile_serialization=False), which is not read; re-save it with"
              + " torch.save(torch.load(f), f2) or as safetensors");
    }
    return SafetensorsReader.read(file);
  }

  /** The file this was read from. */
  public Path source() {
    return source;
  }

  /** Every tensor by name, in file order; unmodifiable. */
  public Map<String, Tensor> tensors() {
    return tensors;
  }

  /** Tensor names in file order. */
  public Set<String> names() {
    return tensors.keySet();
  }

  /** Whether a tensor of that name exists. */
  public boolean contains(String name) {
    return tensors.containsKey(name);
  }

  /**
   * The named tensor.
   *
   * @throws NoSuchElementException naming it, the file and the top-level names present
   */
  public Tensor tensor(String name) {
    Tensor t = tensors.get(name);
    if (t == null) {
      throw new NoSuchElementException(
          "%s has no tensor '%s' (%d tensors under %s)"
              .formatted(source, name, tensors.size(), topLevelNames()));
    }
    return t;
  }

  /**
   * Values of a {@code torch.save} checkpoint that are not tensors, by dotted name: {@code epoch}
   * ({@link Long}), {@code args.lr} ({@link Double}; an {@code argparse.Namespace}'s fields are
   * flattened like a dict's), lists without tensors ({@link java.util.List}), {@code null} for
   * None. Empty for safetensors.
   */
  public Map<String, Object> extras() {
    return extras;
  }

  /**
   * Facts about the file: safetensors' {@code __metadata__} entries, or {@code version} and {@code
   * byteorder} of a checkpoint; {@code vitmae.weights.format} is {@code safetensors} or {@code
   * pytorch}.
   */
  public Map<String, String> metadata() {
    return metadata;
  }

  /** The first component of every tensor name, e.g. {@code [model, optimizer]}. */
  public Set<String> topLevelNames() {
    return tensors.keySet().stream()
        .map(n -> n.contains(".") ? n.substring(0, n.indexOf('.')) : n)
        .collect(Collectors.toCollection(LinkedHashSet::new));
  }

  /**
   * The tensors (and extras) whose names start with {@code prefix}, with the prefix removed: {@code
   * select("target_encoder.")} turns {@code target_encoder.blocks.0.norm1.weight} into {@code
   * blocks.0.norm1.weight}. Empty if none match.
   */
  public StateDict select(String prefix) {
    return new StateDict(
        source, rename(tensors, prefix, true), rename(extras, prefix, true), metadata, file);
  }

  /**
   * Every tensor, with {@code prefix} removed where a name starts with it ({@code
   * stripPrefix("module.")}); other names are kept.
   *
   * @throws IllegalArgumentException if two names become one
   */
  public StateDict stripPrefix(String prefix) {
    return new StateDict(
        source, rename(tensors, prefix, false), rename(extras, prefix, false), metadata, file);
  }

  private static <V> Map<String, V> rename(Map<String, V> in, String prefix, boolean dropOthers) {
    Map<String, V> out = new LinkedHashMap<>();
    for (Map.Entry<String, V> e : in.entrySet()) {
      String name = e.getKey();
      if (!name.startsWith(prefix)) {
        if (dropOthers) {
          continue;
        }
      } else {
        name = name.substring(prefix.length());
      }
      V value = e.getValue() instanceof Tensor t ? cast(t.withName(name)) : e.getValue();
      if (out.put(name, value) != null) {
        throw new IllegalArgumentException(
            "removing '" + prefix + "' makes two entries named '" + name + "'");
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static <V> V cast(Tensor t) {
    return (V) t;
  }

  /** Closes the file; tensors of this and every view can no longer be read. Idempotent. */
  @Override
  public void close() throws IOException {
    file.close();
  }

  @Override
  public String toString() {
    return "StateDict[" + source + ", " + tensors.size() + " tensors]";
  }
}
