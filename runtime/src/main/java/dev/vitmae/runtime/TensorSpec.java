package dev.vitmae.runtime;

import java.util.Arrays;

/**
 * One model input or output as ONNX Runtime reports it.
 *
 * @param name the graph name, e.g. {@code images}
 * @param elementType element type ({@code FLOAT}, {@code INT64}, ...), or the value kind ({@code
 *     SEQUENCE}, {@code MAP}) when it is not a tensor
 * @param shape dimensions, {@code -1} for a symbolic one such as {@code batch}; empty for a
 *     non-tensor
 */
public record TensorSpec(String name, String elementType, long[] shape) {

  public TensorSpec {
    shape = shape.clone();
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  /** Number of dimensions. */
  public int rank() {
    return shape.length;
  }

  /** Dimension {@code i}, {@code -1} when symbolic. */
  public long dim(int i) {
    return shape[i];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorSpec t
        && name.equals(t.name)
        && elementType.equals(t.elementType)
        && Arrays.equals(shape, t.shape);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * name.hashCode() + elementType.hashCode()) + Arrays.hashCode(shape);
  }

  /** E.g. {@code images FLOAT [-1, 1, 28, 28]}. */
  @Override
  public String toString() {
    return name + " " + elementType + " " + Arrays.toString(shape);
  }
}
