package dev.vitmae.datasets;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

/**
 * Reads and writes unsigned-byte IDX files (the MNIST format): images {@code [count, rows, cols]}
 * (magic 0x00000803) and labels {@code [count]} (magic 0x00000801), raw or gzip-compressed. Gzip is
 * detected by its 0x1f 0x8b header, never by file name.
 *
 * <p>Every format problem throws {@link IdxFormatException}; offsets count bytes of the
 * decompressed IDX stream. Writes go to a temp file in the target directory and are moved into
 * place atomically.
 */
public final class Idx {
  public static final int IMAGES_MAGIC = 0x00000803;
  public static final int LABELS_MAGIC = 0x00000801;
  private static final int UNSIGNED_BYTE = 0x08;
  private static final String[] IMAGE_DIMS = {
    "dimension 0 (count)", "dimension 1 (rows)", "dimension 2 (cols)"
  };
  private static final String[] LABEL_DIMS = {"dimension 0 (count)"};

  private Idx() {}

  /** Reads an image file into {@code [count, rows, cols]} unsigned bytes. */
  public static ImageArray readImages(Path file) throws IOException {
    byte[] bytes = readMaybeGzip(file);
    int[] dims = header(file, bytes, IMAGES_MAGIC, IMAGE_DIMS);
    byte[] pixels = data(file, bytes, dims);
    return new ImageArray(dims[0], dims[1], dims[2], pixels);
  }

  /** Reads a label file into {@code [count]} unsigned bytes. */
  public static byte[] readLabels(Path file) throws IOException {
    byte[] bytes = readMaybeGzip(file);
    int[] dims = header(file, bytes, LABELS_MAGIC, LABEL_DIMS);
    return data(file, bytes, dims);
  }

  /** Writes an image file atomically, gzip-compressed if {@code gzip}. */
  public static void writeImages(Path file, ImageArray images, boolean gzip) throws IOException {
    ByteBuffer header =
        ByteBuffer.allocate(16)
            .putInt(IMAGES_MAGIC)
            .putInt(images.count())
            .putInt(images.rows())
            .putInt(images.cols());
    writeAtomically(file, header.array(), images.pixels(), gzip);
  }

  /** Writes a label file atomically, gzip-compressed if {@code gzip}. */
  public static void writeLabels(Path file, byte[] labels, boolean gzip) throws IOException {
    if (labels.length == 0) {
      throw new IllegalArgumentException(
          "cannot write an empty label file: IDX dimensions must be positive");
    }
    ByteBuffer header = ByteBuffer.allocate(8).putInt(LABELS_MAGIC).putInt(labels.length);
    writeAtomically(file, header.array(), labels, gzip);
  }

  /** Whole decompressed content; corrupt gzip becomes an IdxFormatException on "gzip stream". */
  private static byte[] readMaybeGzip(Path file) throws IOException {
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      raw.mark(2);
      boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
      raw.reset();
      if (!gzip) {
        return raw.readAllBytes();
      }
      return gunzip(file, raw);
    }
  }

  private static byte[] gunzip(Path file, InputStream raw) throws IOException {
    var out = new ByteArrayOutputStream(1 << 20);
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = new GZIPInputStream(raw, 1 << 16)) {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        out.write(buffer, 0, n);
      }
    } catch (ZipException | EOFException e) {
      String what = e instanceof EOFException ? "gzip stream ends early" : "corrupt gzip data";
      throw new IdxFormatException(
          file,
          "gzip stream",
          out.size(),
          what + " after " + out.size() + " decompressed bytes (" + e.getMessage() + ")");
    }
    return out.toByteArray();
  }

  /** Validates magic and dimensions; returns the dimensions. */
  private static int[] header(Path file, byte[] b, int magic, String[] dimNames)
      throws IdxFormatException {
    need(file, b, "magic", 0, 4);
    int found = ByteBuffer.wrap(b, 0, 4).getInt();
    if (found != magic) {
      throw badMagic(file, b, magic, found, dimNames.length);
    }
    int[] dims = new int[dimNames.length];
    long total = 1;
    for (int i = 0; i < dims.length; i++) {
      int offset = 4 + 4 * i;
      need(file, b, dimNames[i], offset, 4);
      dims[i] = ByteBuffer.wrap(b, offset, 4).getInt();
      if (dims[i] <= 0) {
        throw new IdxFormatException(
            file, dimNames[i], offset, "must be positive, found " + dims[i]);
      }
      total *= dims[i];
    }
    if (total > Integer.MAX_VALUE - 64) {
      throw new IdxFormatException(
          file, dimNames[0], 4, "declared data of " + total + " bytes is too large");
    }
    return dims;
  }

  private static IdxFormatException badMagic(
      Path file, byte[] b, int expected, int found, int rank) {
    String hex = String.format("expected 0x%08X but found 0x%08X", expected, found);
    if (b[0] != 0 || b[1] != 0) {
      return new IdxFormatException(
          file, "magic", 0, hex + ": not an IDX file (its first two bytes must be 0)");
    }
    if (found == IMAGES_MAGIC || found == LABELS_MAGIC) {
      String other = found == LABELS_MAGIC ? "a label file" : "an image file";
      return new IdxFormatException(file, "magic", 0, hex + ": is this " + other + "?");
    }
    if ((b[2] & 0xff) != UNSIGNED_BYTE) {
      return new IdxFormatException(
          file,
          "type byte",
          2,
          String.format(
              "expected 0x%02X (unsigned byte) but found 0x%02X", UNSIGNED_BYTE, b[2] & 0xff));
    }
    return new IdxFormatException(
        file, "rank", 3, "expected " + rank + " dimensions but found " + (b[3] & 0xff));
  }

  /**
   * Copies the data section after a header of the given dimensions, which must fill the file
   * exactly.
   */
  private static byte[] data(Path file, byte[] b, int[] dims) throws IdxFormatException {
    int start = 4 + 4 * dims.length;
    long expected = 1;
    for (int d : dims) {
      expected *= d;
    }
    long present = b.length - start;
    if (present < expected) {
      throw new IdxFormatException(
          file,
          "data",
          start,
          "truncated: expected " + expected + " bytes but only " + present + " are present");
    }
    if (present > expected) {
      throw new IdxFormatException(
          file,
          "trailing data",
          start + expected,
          (present - expected)
              + " unexpected bytes after the declared "
              + expected
              + " bytes of data");
    }
    return Arrays.copyOfRange(b, start, b.length);
  }

  private static void need(Path file, byte[] b, String field, int offset, int length)
      throws IdxFormatException {
    if (b.length < offset + length) {
      throw new IdxFormatException(
          file,
          field,
          offset,
          "header truncated: needs "
              + length
              + " bytes but only "
              + Math.max(0, b.length - offset)
              + " are present");
    }
  }

  private static void writeAtomically(Path file, byte[] header, byte[] data, boolean gzip)
      throws IOException {
    AtomicFiles.write(
        file,
        raw -> {
          OutputStream out = gzip ? new GZIPOutputStream(raw, 1 << 16) : raw;
          out.write(header);
          out.write(data);
          out.flush();
          if (out instanceof GZIPOutputStream z) {
            z.finish();
          }
        });
  }
}
