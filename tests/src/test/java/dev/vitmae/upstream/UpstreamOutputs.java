package dev.vitmae.upstream;

import dev.vitmae.weights.StateDict;
import dev.vitmae.weights.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One fixture's {@code NAME.expected.safetensors}: the upstream inputs, masks and outputs, held in
 * memory (they are small), and the model's configuration from the file's metadata.
 */
public final class UpstreamOutputs {
  private final Path file;
  private final Map<String, float[]> values;
  private final Map<String, long[]> shapes;
  private final Map<String, String> config;

  private UpstreamOutputs(
      Path file,
      Map<String, float[]> values,
      Map<String, long[]> shapes,
      Map<String, String> config) {
    this.file = file;
    this.values = values;
    this.shapes = shapes;
    this.config = config;
  }

  static UpstreamOutputs read(Path file) throws IOException {
    Map<String, float[]> values = new LinkedHashMap<>();
    Map<String, long[]> shapes = new LinkedHashMap<>();
    try (StateDict dict = StateDict.read(file)) {
      for (Tensor t : dict.tensors().values()) {
        values.put(t.name(), t.toFloatArray());
        shapes.put(t.name(), t.shape());
      }
      return new UpstreamOutputs(file, values, shapes, Map.copyOf(dict.metadata()));
    }
  }

  /** The tensor names, in the file's order. */
  public Set<String> names() {
    return values.keySet();
  }

  /** A tensor's values, row-major, as float32 (int64 indices converted exactly). */
  public float[] floats(String name) {
    return values(name).clone();
  }

  /** A tensor's shape. */
  public long[] shape(String name) {
    values(name);
    return shapes.get(name).clone();
  }

  /** A scalar output such as {@code loss}. */
  public float scalar(String name) {
    float[] v = values(name);
    if (v.length != 1) {
      throw new IllegalArgumentException(
          file
              + ": '"
              + name
              + "' has shape "
              + Arrays.toString(shapes.get(name))
              + ", not a scalar");
    }
    return v[0];
  }

  /** An index tensor ({@code ids_keep}, {@code masks_pred.0}, ...) as ints, row-major. */
  public int[] indices(String name) {
    float[] v = values(name);
    int[] out = new int[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (int) v[i];
      if (out[i] != v[i]) {
        throw new IllegalArgumentException(
            file + ": '" + name + "'[" + i + "] = " + v[i] + " is no index");
      }
    }
    return out;
  }

  /**
   * The configuration the generator recorded ({@code patch_size}, {@code embed_dim}, {@code
   * layer_norm_eps}, {@code upstream}, {@code commit}, ...), as Python's {@code str} wrote it.
   */
  public String config(String key) {
    String v = config.get(key);
    if (v == null) {
      throw new IllegalArgumentException(
          file + " records no '" + key + "'; it records " + config.keySet());
    }
    return v;
  }

  /** An integer configuration value. */
  public int configInt(String key) {
    return Integer.parseInt(config(key));
  }

  /** A real configuration value ({@code layer_norm_eps}, {@code mask_ratio}). */
  public double configDouble(String key) {
    return Double.parseDouble(config(key));
  }

  /** A boolean configuration value (Python's {@code True} / {@code False}). */
  public boolean configBoolean(String key) {
    return Boolean.parseBoolean(config(key));
  }

  private float[] values(String name) {
    float[] v = values.get(name);
    if (v == null) {
      throw new IllegalArgumentException(
          file + " has no tensor '" + name + "'; it has " + values.keySet());
    }
    return v;
  }

  /**
   * The largest absolute difference between {@code actual} and the upstream output {@code name},
   * relative to the largest absolute upstream value: the error measure of the upstream-parity tests
   * ({@code <= 1e-5}). Per-element relative errors would be meaningless where an output crosses
   * zero.
   */
  public double relativeError(String name, float[] actual) {
    float[] want = values(name);
    if (actual.length != want.length) {
      throw new IllegalArgumentException(
          "'"
              + name
              + "': "
              + actual.length
              + " values, upstream has "
              + want.length
              + " (shape "
              + Arrays.toString(shapes.get(name))
              + ")");
    }
    double scale = 0;
    double worst = 0;
    for (int i = 0; i < want.length; i++) {
      scale = Math.max(scale, Math.abs(want[i]));
      worst = Math.max(worst, Math.abs((double) actual[i] - want[i]));
    }
    return scale == 0 ? worst : worst / scale;
  }

  /**
   * Fails unless {@code actual} matches the upstream output {@code name} within {@code tolerance}
   * by {@link #relativeError}; the message names the output, the worst element and both values.
   */
  public void assertMatches(String name, float[] actual, double tolerance) {
    double error = relativeError(name, actual);
    if (!(error <= tolerance)) {
      float[] want = values(name);
      int worst = 0;
      for (int i = 1; i < want.length; i++) {
        if (Math.abs(actual[i] - want[i]) > Math.abs(actual[worst] - want[worst])) {
          worst = i;
        }
      }
      throw new AssertionError(
          "%s '%s': relative error %.3g > %.3g; worst at flat index %d of shape %s: vitmae %s, upstream %s"
              .formatted(
                  file.getFileName(),
                  name,
                  error,
                  tolerance,
                  worst,
                  Arrays.toString(shapes.get(name)),
                  actual[worst],
                  want[worst]));
    }
  }
}
