package dev.vitmae.runtime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Writes minimal ONNX protobufs by hand (the runtime tests may not depend on the exporter): a
 * one-node {@code Identity} model, and a copy of a model without its {@code metadata_props}.
 */
final class TinyOnnx {

  static final int FLOAT = 1;
  static final int INT64 = 7;

  private TinyOnnx() {}

  /**
   * {@code input → Identity → output}, both of type {@code elemType} and shape {@code shape} (-1 =
   * "batch").
   */
  static byte[] identity(
      String input, String output, int elemType, long[] shape, Map<String, String> metadata) {
    Proto graph =
        new Proto()
            .message(1, new Proto().string(1, input).string(2, output).string(4, "Identity"))
            .string(2, "g")
            .message(11, valueInfo(input, elemType, shape))
            .message(12, valueInfo(output, elemType, shape));
    Proto model =
        new Proto()
            .varint(1, 8)
            .string(2, "tiny-onnx-test")
            .message(7, graph)
            .message(8, new Proto().string(1, "").varint(2, 17));
    metadata.forEach((k, v) -> model.message(14, new Proto().string(1, k).string(2, v)));
    return model.bytes();
  }

  /** The model with every top-level field {@code field} dropped (14 = metadata_props). */
  static byte[] withoutField(byte[] model, int field) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int[] at = {0};
    while (at[0] < model.length) {
      int start = at[0];
      long tag = readVarint(model, at);
      switch ((int) (tag & 7)) {
        case 0 -> readVarint(model, at);
        case 1 -> at[0] += 8;
        case 2 -> {
          int length = (int) readVarint(model, at);
          at[0] += length;
        }
        case 5 -> at[0] += 4;
        default -> throw new IllegalArgumentException("wire type " + (tag & 7));
      }
      if ((tag >>> 3) != field) out.write(model, start, at[0] - start);
    }
    return out.toByteArray();
  }

  private static Proto valueInfo(String name, int elemType, long[] shape) {
    Proto dims = new Proto();
    for (long d : shape) {
      dims.message(1, d < 0 ? new Proto().string(2, "batch") : new Proto().varint(1, d));
    }
    Proto tensor = new Proto().varint(1, elemType).message(2, dims);
    return new Proto().string(1, name).message(2, new Proto().message(1, tensor));
  }

  private static long readVarint(byte[] b, int[] at) {
    long v = 0;
    for (int shift = 0; ; shift += 7) {
      byte x = b[at[0]++];
      v |= (long) (x & 0x7f) << shift;
      if (x >= 0) return v;
    }
  }

  private static final class Proto {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Proto varint(int field, long value) {
      raw((long) field << 3);
      raw(value);
      return this;
    }

    Proto string(int field, String value) {
      return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    Proto message(int field, Proto message) {
      return bytes(field, message.bytes());
    }

    Proto bytes(int field, byte[] value) {
      raw((long) field << 3 | 2);
      raw(value.length);
      out.writeBytes(value);
      return this;
    }

    byte[] bytes() {
      return out.toByteArray();
    }

    private void raw(long v) {
      while ((v & ~0x7fL) != 0) {
        out.write((int) (v & 0x7f) | 0x80);
        v >>>= 7;
      }
      out.write((int) v);
    }
  }
}
