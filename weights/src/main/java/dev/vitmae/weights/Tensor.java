package dev.vitmae.weights;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * One named tensor of a checkpoint: its shape, the type it is stored in, and a view of its bytes.
 * Nothing is read until {@link #toFloatArray()} or {@link #toFloatBuffer()} is called, so a reader
 * can hold every tensor of a large file while only one is in memory at a time.
 *
 * <p>The bytes are a strided view of a storage, as PyTorch keeps them: element {@code [i0, i1,
 * ...]} is storage element {@code offset + i0 * stride0 + i1 * stride1 + ...}. Reads return the
 * elements row-major (C order) in {@code shape}, whatever the strides.
 */
public final class Tensor {

  /** The bytes of the storage a tensor views, in the file's byte order, from position 0. */
  interface Storage {
    ByteBuffer bytes() throws IOException;

    long elements();
  }

  private final String name;
  private final long[] shape;
  private final DType dtype;
  private final Storage storage;
  private final long offset;
  private final long[] strides;
  private final long numel;

  private Tensor(
      String name,
      long[] shape,
      DType dtype,
      Storage storage,
      long offset,
      long[] strides,
      long n) {
    this.name = name;
    this.shape = shape;
    this.dtype = dtype;
    this.storage = storage;
    this.offset = offset;
    this.strides = strides;
    this.numel = n;
  }

  /** A contiguous tensor that is its whole storage. */
  static Tensor contiguous(String name, long[] shape, DType dtype, Storage storage)
      throws WeightsFormatException {
    return strided(name, shape, dtype, storage, 0, rowMajorStrides(shape));
  }

  /**
   * A strided view; throws if an index could fall outside the storage, naming the tensor, its
   * offset, strides and the storage size.
   */
  static Tensor strided(
      String name, long[] shape, DType dtype, Storage storage, long offset, long[] strides)
      throws WeightsFormatException {
    if (shape.length != strides.length) {
      throw new WeightsFormatException(
          "tensor '%s': %d sizes but %d strides".formatted(name, shape.length, strides.length));
    }
    long n = 1;
    long last = offset;
    for (int d = 0; d < shape.length; d++) {
      if (shape[d] < 0 || strides[d] < 0) {
        throw new WeightsFormatException(
            "tensor '%s': negative size or stride in shape %s, strides %s"
                .formatted(name, Arrays.toString(shape), Arrays.toString(strides)));
      }
      try {
        n = Math.multiplyExact(n, shape[d]);
        if (shape[d] > 0) {
          last = Math.addExact(last, Math.multiplyExact(shape[d] - 1, strides[d]));
        }
      } catch (ArithmeticException e) {
        throw new WeightsFormatException(
            "tensor '%s': shape %s overflows".formatted(name, Arrays.toString(shape)));
      }
    }
    if (offset < 0 || (n > 0 && last >= storage.elements())) {
      throw new WeightsFormatException(
          "tensor '%s': shape %s, strides %s at storage offset %d reach element %d, but its storage holds %d"
              .formatted(
                  name,
                  Arrays.toString(shape),
                  Arrays.toString(strides),
                  offset,
                  last,
                  storage.elements()));
    }
    return new Tensor(name, shape.clone(), dtype, storage, offset, strides.clone(), n);
  }

  /** The name in the file, e.g. {@code "blocks.0.attn.qkv.weight"}. */
  public String name() {
    return name;
  }

  /** The shape, outermost dimension first; {@code []} for a scalar. */
  public long[] shape() {
    return shape.clone();
  }

  /** The element type in the file; reads always return float32. */
  public DType dtype() {
    return dtype;
  }

  /** The number of elements (1 for a scalar). */
  public long numel() {
    return numel;
  }

  /** Whether the elements lie row-major and adjacent in the storage. */
  public boolean isContiguous() {
    long expected = 1;
    for (int d = shape.length - 1; d >= 0; d--) {
      if (shape[d] != 1 && strides[d] != expected) {
        return numel == 0;
      }
      expected *= shape[d];
    }
    return true;
  }

  /** This tensor under another name, sharing its bytes. */
  public Tensor withName(String newName) {
    return new Tensor(newName, shape, dtype, storage, offset, strides, numel);
  }

  /**
   * The elements as float32, row-major in {@link #shape()}; a new array each call.
   *
   * @throws IOException if the bytes cannot be read
   * @throws IllegalStateException if the file has been closed
   */
  public float[] toFloatArray() throws IOException {
    if (numel > Integer.MAX_VALUE - 8) {
      throw new UnsupportedOperationException(
          "tensor '%s' has %d elements, more than a Java array holds".formatted(name, numel));
    }
    float[] out = new float[(int) numel];
    ByteBuffer bytes = storage.bytes();
    if (isContiguous() && dtype == DType.F32) {
      bytes
          .duplicate()
          .order(bytes.order())
          .position(Math.toIntExact(offset * 4))
          .asFloatBuffer()
          .get(out);
      return out;
    }
    if (isContiguous()) {
      for (int i = 0; i < out.length; i++) {
        out[i] = dtype.read(bytes, offset + i);
      }
      return out;
    }
    long[] index = new long[shape.length];
    long at = offset;
    for (int i = 0; i < out.length; i++) {
      out[i] = dtype.read(bytes, at);
      for (int d = shape.length - 1; d >= 0; d--) {
        index[d]++;
        at += strides[d];
        if (index[d] < shape[d]) {
          break;
        }
        at -= index[d] * strides[d];
        index[d] = 0;
      }
    }
    return out;
  }

  /**
   * The elements as float32, row-major. A contiguous F32 tensor of a memory-mapped file is returned
   * as a read-only view of the mapping, without copying; any other tensor is converted into a new
   * heap buffer.
   *
   * @throws IOException if the bytes cannot be read
   * @throws IllegalStateException if the file has been closed
   */
  public FloatBuffer toFloatBuffer() throws IOException {
    if (dtype == DType.F32 && isContiguous()) {
      ByteBuffer bytes = storage.bytes();
      ByteBuffer view = bytes.duplicate().order(bytes.order());
      view.position(Math.toIntExact(offset * 4)).limit(Math.toIntExact((offset + numel) * 4));
      return view.slice().order(bytes.order()).asFloatBuffer().asReadOnlyBuffer();
    }
    return FloatBuffer.wrap(toFloatArray());
  }

  @Override
  public String toString() {
    return name + " " + dtype + " " + Arrays.toString(shape);
  }

  static long[] rowMajorStrides(long[] shape) {
    long[] strides = new long[shape.length];
    long s = 1;
    for (int d = shape.length - 1; d >= 0; d--) {
      strides[d] = s;
      s *= Math.max(shape[d], 1);
    }
    return strides;
  }
}
