package dev.vitmae.images;

import java.io.EOFException;
import java.io.IOException;
import java.util.zip.CRC32;
import javax.imageio.stream.ImageInputStream;

/**
 * Walks the chunks of a PNG stream and checks each chunk's CRC-32 and that the file reaches {@code
 * IEND}: the JDK's PNG reader checks neither, so flipped bytes or a cut file can otherwise decode
 * silently into wrong pixels.
 */
final class PngCheck {
  private static final int IEND = 0x49454E44;

  private PngCheck() {}

  /** The problem with the PNG stream from its current position (the signature), or null. */
  static String problem(ImageInputStream in) throws IOException {
    long length = in.length();
    in.skipBytes(8);
    byte[] buffer = new byte[1 << 16];
    CRC32 crc = new CRC32();
    while (true) {
      long at = in.getStreamPosition();
      int size;
      int type;
      try {
        size = in.readInt();
        type = in.readInt();
      } catch (EOFException e) {
        return "truncated PNG: the file ends at byte " + at + " before the IEND chunk";
      }
      String name = chunkName(type);
      long remaining = length < 0 ? Long.MAX_VALUE : length - in.getStreamPosition();
      if (size < 0 || size + 4L > remaining) {
        return "truncated PNG: chunk "
            + name
            + " at byte offset "
            + at
            + " declares "
            + size
            + " bytes but only "
            + Math.max(0, remaining - 4)
            + " remain";
      }
      crc.reset();
      crc.update(
          new byte[] {
            (byte) (type >>> 24), (byte) (type >>> 16), (byte) (type >>> 8), (byte) type
          });
      for (int left = size; left > 0; ) {
        int n = in.read(buffer, 0, Math.min(left, buffer.length));
        if (n < 0) return "truncated PNG: chunk " + name + " at byte offset " + at + " is cut";
        crc.update(buffer, 0, n);
        left -= n;
      }
      long stored;
      try {
        stored = in.readInt() & 0xFFFFFFFFL;
      } catch (EOFException e) {
        return "truncated PNG: chunk " + name + " at byte offset " + at + " has no CRC";
      }
      if (stored != crc.getValue()) {
        return "corrupt PNG data: CRC mismatch in chunk " + name + " at byte offset " + at;
      }
      if (type == IEND) return null;
    }
  }

  private static String chunkName(int type) {
    StringBuilder s = new StringBuilder(4);
    for (int shift = 24; shift >= 0; shift -= 8) {
      char c = (char) ((type >>> shift) & 0xFF);
      s.append(c >= 32 && c < 127 ? c : '?');
    }
    return s.toString();
  }
}
