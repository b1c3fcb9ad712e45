package dev.vitmae.weights;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;

/**
 * The element types a checkpoint may store, each read as float32. Floating types convert exactly
 * (F16 and BF16 widen; F64 rounds to nearest); integer types convert as Java's {@code (float)}
 * cast, exact up to 2^24 (e.g. BatchNorm's {@code num_batches_tracked}).
 */
public enum DType {
  F64(8, "F64", "DoubleStorage"),
  F32(4, "F32", "FloatStorage"),
  F16(2, "F16", "HalfStorage"),
  BF16(2, "BF16", "BFloat16Storage"),
  I64(8, "I64", "LongStorage"),
  I32(4, "I32", "IntStorage"),
  I16(2, "I16", "ShortStorage"),
  I8(1, "I8", "CharStorage"),
  U8(1, "U8", "ByteStorage"),
  BOOL(1, "BOOL", "BoolStorage");

  private final int bytes;
  private final String safetensorsName;
  private final String torchStorage;

  DType(int bytes, String safetensorsName, String torchStorage) {
    this.bytes = bytes;
    this.safetensorsName = safetensorsName;
    this.torchStorage = torchStorage;
  }

  /** Bytes per element. */
  public int bytes() {
    return bytes;
  }

  /** The name in a safetensors header, e.g. {@code "BF16"}. */
  public String safetensorsName() {
    return safetensorsName;
  }

  /** The legacy storage class {@code torch.save} names for it, e.g. {@code "HalfStorage"}. */
  public String torchStorage() {
    return torchStorage;
  }

  /** The type a safetensors header names, if supported. */
  public static Optional<DType> ofSafetensors(String name) {
    return Arrays.stream(values()).filter(d -> d.safetensorsName.equals(name)).findFirst();
  }

  /** The type of a {@code torch.<name>} storage class, if supported. */
  public static Optional<DType> ofTorchStorage(String name) {
    return Arrays.stream(values()).filter(d -> d.torchStorage.equals(name)).findFirst();
  }

  /** Names of the supported safetensors types, for error messages. */
  static String supportedSafetensors() {
    return Arrays.toString(Arrays.stream(values()).map(DType::safetensorsName).toArray());
  }

  /** Reads element {@code index} of {@code buf} (absolute, in {@code buf}'s byte order). */
  float read(ByteBuffer buf, long index) {
    int at = Math.toIntExact(index * bytes);
    return switch (this) {
      case F64 -> (float) buf.getDouble(at);
      case F32 -> buf.getFloat(at);
      case F16 -> halfToFloat(buf.getShort(at));
      case BF16 -> Float.intBitsToFloat((buf.getShort(at) & 0xffff) << 16);
      case I64 -> (float) buf.getLong(at);
      case I32 -> (float) buf.getInt(at);
      case I16 -> (float) buf.getShort(at);
      case I8 -> (float) buf.get(at);
      case U8 -> (float) (buf.get(at) & 0xff);
      case BOOL -> buf.get(at) != 0 ? 1f : 0f;
    };
  }

  /** IEEE 754 binary16 to binary32, subnormals, infinities and NaN included. */
  static float halfToFloat(short half) {
    int h = half & 0xffff;
    int sign = (h & 0x8000) << 16;
    int exponent = (h >>> 10) & 0x1f;
    int mantissa = h & 0x3ff;
    if (exponent == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
    }
    if (exponent == 0) {
      float magnitude = mantissa * 0x1p-24f;
      return sign == 0 ? magnitude : -magnitude;
    }
    return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
  }
}
