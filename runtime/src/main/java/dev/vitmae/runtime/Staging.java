package dev.vitmae.runtime;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * Hands ONNX Runtime direct, native-order buffers it can read in place. Heap inputs are copied into
 * per-thread direct buffers that are reused from run to run, so a run allocates no direct memory
 * (which only the garbage collector would free).
 */
final class Staging {

  static final int IMAGES = 0;
  static final int MASK = 1;
  static final int TARGET_MASK = 2;

  /** Inputs larger than this (4 MiB) get a fresh direct buffer instead of a per-thread one. */
  static final int MAX_REUSED_FLOATS = 1 << 20;

  private static final ThreadLocal<FloatBuffer[]> BUFFERS =
      ThreadLocal.withInitial(() -> new FloatBuffer[3]);

  private Staging() {}

  /**
   * {@code source} itself when it is direct and in native byte order, otherwise a copy of its
   * {@code position..limit} in a direct buffer. The copy stays valid until this thread stages
   * another input into the same {@code slot}. Does not move {@code source}'s position.
   */
  static FloatBuffer direct(FloatBuffer source, int slot) {
    if (source.isDirect() && source.order() == ByteOrder.nativeOrder()) return source.duplicate();
    int n = source.remaining();
    FloatBuffer target;
    if (n > MAX_REUSED_FLOATS) {
      target = allocate(n);
    } else {
      FloatBuffer[] buffers = BUFFERS.get();
      if (buffers[slot] == null || buffers[slot].capacity() < n) {
        buffers[slot] = allocate(Math.max(1024, Integer.highestOneBit(Math.max(n - 1, 1)) << 1));
      }
      target = buffers[slot];
      target.clear();
    }
    target.put(source.duplicate()).flip();
    return target;
  }

  private static FloatBuffer allocate(int floats) {
    return ByteBuffer.allocateDirect(floats * Float.BYTES)
        .order(ByteOrder.nativeOrder())
        .asFloatBuffer();
  }
}
