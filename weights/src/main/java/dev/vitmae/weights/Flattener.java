package dev.vitmae.weights;

import dev.vitmae.weights.RestrictedUnpickler.Namespace;
import dev.vitmae.weights.RestrictedUnpickler.StorageRef;
import dev.vitmae.weights.RestrictedUnpickler.TensorRef;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns an unpickled checkpoint into dotted names: {@code {"model": {"fc.weight": t}, "epoch": 3}}
 * gives the tensor {@code model.fc.weight} and the extra {@code epoch}. Dict keys may be str or
 * int; lists that hold tensors are numbered ({@code optimizer.state.0.exp_avg}); an {@code
 * argparse.Namespace} is flattened like a dict; any other value is an extra, kept whole.
 */
final class Flattener {
  /** Resolves a tensor's storage, checking it against the archive. */
  interface Storages {
    Tensor.Storage storage(String tensor, StorageRef ref) throws WeightsFormatException;
  }

  private static final int MAX_DEPTH = 32;

  private final Path file;
  private final Storages storages;
  private final Map<String, Tensor> tensors = new LinkedHashMap<>();
  private final Map<String, Object> extras = new LinkedHashMap<>();

  /**
   * Containers visited may not exceed this: through the memo, a few bytes can name one dict many
   * times ({@code d1 = {a: d0, b: d0}, d2 = {a: d1, b: d1}, ...}), which would unfold into
   * exponentially many names.
   */
  private long budget;

  Flattener(Path file, Storages storages, long budget) {
    this.file = file;
    this.storages = storages;
    this.budget = budget;
  }

  Map<String, Tensor> tensors() {
    return tensors;
  }

  Map<String, Object> extras() {
    return extras;
  }

  void add(String name, Object value, int depth) throws WeightsFormatException {
    spend(name);
    if (depth > MAX_DEPTH) {
      throw new WeightsFormatException(
          file + ": '" + name + "' is nested more than " + MAX_DEPTH + " deep (or recursive)");
    }
    if (value instanceof TensorRef t) {
      if (tensors.containsKey(name) || extras.containsKey(name)) {
        throw new WeightsFormatException(file + ": the name '" + name + "' occurs twice");
      }
      tensors.put(
          name,
          Tensor.strided(
              name,
              t.size(),
              t.storage().dtype(),
              storages.storage(name, t.storage()),
              t.offset(),
              t.stride()));
    } else if (value instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        add(join(name, key(name, e.getKey())), e.getValue(), depth + 1);
      }
    } else if (value instanceof Namespace ns) {
      add(name, ns.fields(), depth);
    } else if (value instanceof List<?> list && holdsTensors(name, list, depth)) {
      for (int i = 0; i < list.size(); i++) {
        add(join(name, Integer.toString(i)), list.get(i), depth + 1);
      }
    } else {
      if (tensors.containsKey(name) || extras.containsKey(name)) {
        throw new WeightsFormatException(file + ": the name '" + name + "' occurs twice");
      }
      extras.put(name, value);
    }
  }

  private boolean holdsTensors(String name, Collection<?> items, int depth)
      throws WeightsFormatException {
    for (Object o : items) {
      spend(name);
      if (depth > MAX_DEPTH) {
        throw new WeightsFormatException(
            file + ": '" + name + "' is nested more than " + MAX_DEPTH + " deep (or recursive)");
      }
      if (o instanceof TensorRef
          || (o instanceof Map<?, ?> m && holdsTensors(name, m.values(), depth + 1))
          || (o instanceof List<?> l && holdsTensors(name, l, depth + 1))) {
        return true;
      }
    }
    return false;
  }

  private void spend(String name) throws WeightsFormatException {
    if (--budget < 0) {
      throw new WeightsFormatException(
          file
              + ": the pickle's containers unfold into more entries than its size allows (one"
              + " container referenced many times, under '"
              + name
              + "')");
    }
  }

  private String key(String parent, Object key) throws WeightsFormatException {
    if (key instanceof String s) {
      return s;
    }
    if (key instanceof Long l) {
      return Long.toString(l);
    }
    throw new WeightsFormatException(
        file
            + ": a key of '"
            + parent
            + "' is a "
            + TorchCheckpointReader.describe(key)
            + ", not a str or int");
  }

  private static String join(String parent, String key) {
    return parent.isEmpty() ? key : parent + "." + key;
  }
}
