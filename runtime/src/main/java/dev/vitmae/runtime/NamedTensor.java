package dev.vitmae.runtime;

import java.util.Arrays;

/**
 * A float32 tensor by name, row-major: an output of {@link VitModel#run}.
 *
 * @param shape dimensions, the batch first
 * @param data {@code product(shape)} values
 */
public record NamedTensor(String name, long[] shape, float[] data) {

  public NamedTensor {
    shape = shape.clone();
    if (Arrays.stream(shape).reduce(1, Math::multiplyExact) != data.length) {
      throw new IllegalArgumentException(
          name + ": shape " + Arrays.toString(shape) + " does not hold " + data.length + " values");
    }
  }

  /** Values per batch item: {@code data.length / shape[0]}. */
  public int perItem() {
    return shape[0] == 0 ? 0 : Math.toIntExact(data.length / shape[0]);
  }

  @Override
  public String toString() {
    return "NamedTensor[" + name + " " + Arrays.toString(shape) + "]";
  }
}
