package dev.vitmae.images;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/** Images of every mode, written by real ImageIO writers into bytes. */
final class TestImages {
  private TestImages() {}

  /** {@code w × h} RGB with colour {@code f(x, y)} (0xRRGGBB). */
  static BufferedImage rgb(int w, int h, PixelFunction f) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.setRGB(x, y, f.at(x, y));
    return img;
  }

  /** 8-bit gray with value {@code f(x, y)} (0..255). */
  static BufferedImage gray(int w, int h, PixelFunction f) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < h; y++)
      for (int x = 0; x < w; x++) img.getRaster().setSample(x, y, 0, f.at(x, y));
    return img;
  }

  /** 16-bit gray with value {@code f(x, y)} (0..65535). */
  static BufferedImage gray16(int w, int h, PixelFunction f) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
    for (int y = 0; y < h; y++)
      for (int x = 0; x < w; x++) img.getRaster().setSample(x, y, 0, f.at(x, y));
    return img;
  }

  /** 8-bit gray + alpha: gray {@code g(x, y)}, alpha {@code a(x, y)}. */
  static BufferedImage grayAlpha(int w, int h, PixelFunction g, PixelFunction a) {
    ComponentColorModel cm =
        new ComponentColorModel(
            ColorSpace.getInstance(ColorSpace.CS_GRAY),
            true,
            false,
            Transparency.TRANSLUCENT,
            DataBuffer.TYPE_BYTE);
    WritableRaster r = cm.createCompatibleWritableRaster(w, h);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) r.setPixel(x, y, new int[] {g.at(x, y), a.at(x, y)});
    }
    return new BufferedImage(cm, r, false, null);
  }

  /** ARGB with {@code f(x, y)} = 0xAARRGGBB. */
  static BufferedImage argb(int w, int h, PixelFunction f) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
    for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.setRGB(x, y, f.at(x, y));
    return img;
  }

  /** A 4-colour palette image: pixel index {@code f(x, y)} into {@code palette} (0xRRGGBB). */
  static BufferedImage palette(int w, int h, int[] palette, PixelFunction f) {
    IndexColorModel cm =
        new IndexColorModel(2, palette.length, palette, 0, false, -1, DataBuffer.TYPE_BYTE);
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_BINARY, cm);
    for (int y = 0; y < h; y++)
      for (int x = 0; x < w; x++) img.getRaster().setSample(x, y, 0, f.at(x, y));
    return img;
  }

  static byte[] encode(BufferedImage img, String format) {
    var out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(img, format, out))
        throw new IllegalStateException("no " + format + " writer");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** JPEG at quality 0.95, baseline or progressive. */
  static byte[] jpeg(BufferedImage img, boolean progressive) {
    return jpeg(new IIOImage(img, null, null), progressive);
  }

  private static byte[] jpeg(IIOImage image, boolean progressive) {
    ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
    ImageWriteParam p = w.getDefaultWriteParam();
    p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
    p.setCompressionQuality(0.95f);
    if (progressive) p.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
    var out = new ByteArrayOutputStream();
    try (ImageOutputStream o = ImageIO.createImageOutputStream(out)) {
      w.setOutput(o);
      w.write(null, image, p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      w.dispose();
    }
    return out.toByteArray();
  }

  /**
   * An Adobe 4-channel JPEG from ink values {@code cmyk(x, y)} = 0xCCMMYYKK: transform 0 stores
   * CMYK inverted (as Photoshop), transform 2 stores YCCK (YCbCr of the C, M, Y inks, K inverted,
   * as libjpeg's cmyk_ycck_convert).
   */
  static byte[] adobe(int w, int h, boolean ycck, PixelFunction cmyk) {
    WritableRaster r = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, w, h, 4, null);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int v = cmyk.at(x, y);
        int c = v >>> 24 & 0xFF;
        int m = v >>> 16 & 0xFF;
        int ye = v >>> 8 & 0xFF;
        int k = v & 0xFF;
        int[] s =
            ycck
                ? new int[] {
                  clamp(0.299 * c + 0.587 * m + 0.114 * ye),
                  clamp(-0.168736 * c - 0.331264 * m + 0.5 * ye + 128),
                  clamp(0.5 * c - 0.418688 * m - 0.081312 * ye + 128),
                  255 - k
                }
                : new int[] {255 - c, 255 - m, 255 - ye, 255 - k};
        r.setPixel(x, y, s);
      }
    }
    byte[] plain = jpeg(new IIOImage(r, null, null), false);
    byte[] app14 = {
      (byte) 0xFF,
      (byte) 0xEE,
      0,
      14,
      'A',
      'd',
      'o',
      'b',
      'e',
      0,
      100,
      0,
      0,
      0,
      0,
      (byte) (ycck ? 2 : 0)
    };
    return insertAfterSoi(plain, app14);
  }

  /** {@code jpeg} with an EXIF APP1 segment holding orientation {@code o}, after its APP0. */
  static byte[] withOrientation(byte[] jpeg, int o) {
    ByteBuffer tiff = ByteBuffer.allocate(26);
    tiff.put(new byte[] {'M', 'M', 0, 42})
        .putInt(8)
        .putShort((short) 1)
        .putShort((short) 0x0112)
        .putShort((short) 3)
        .putInt(1)
        .putShort((short) o)
        .putShort((short) 0)
        .putInt(0);
    byte[] t = tiff.array();
    ByteBuffer app1 = ByteBuffer.allocate(4 + 6 + t.length);
    app1.putShort((short) 0xFFE1)
        .putShort((short) (2 + 6 + t.length))
        .put(new byte[] {'E', 'x', 'i', 'f', 0, 0})
        .put(t);
    int app0End = 4 + ((jpeg[4] & 0xFF) << 8 | (jpeg[5] & 0xFF)); // SOI + APP0 marker + length
    return insert(jpeg, app0End, app1.array());
  }

  /** A PNG of signature, IHDR claiming {@code w × h} 8-bit RGB, and IEND: valid chunks, no data. */
  static byte[] pngHeaderOnly(int w, int h) {
    ByteBuffer b = ByteBuffer.allocate(8 + 25 + 12);
    b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
    chunk(
        b,
        "IHDR",
        ByteBuffer.allocate(13)
            .putInt(w)
            .putInt(h)
            .put((byte) 8)
            .put((byte) 2)
            .put((byte) 0)
            .put((byte) 0)
            .put((byte) 0)
            .array());
    chunk(b, "IEND", new byte[0]);
    return b.array();
  }

  /** {@code jpeg} with its SOF0/SOF2 frame header claiming {@code w × h}. */
  static byte[] jpegClaiming(byte[] jpeg, int w, int h) {
    byte[] out = jpeg.clone();
    for (int i = 2; i + 9 < out.length; ) {
      int marker = out[i + 1] & 0xFF;
      int len = (out[i + 2] & 0xFF) << 8 | (out[i + 3] & 0xFF);
      if (marker == 0xC0 || marker == 0xC2) {
        out[i + 5] = (byte) (h >>> 8);
        out[i + 6] = (byte) h;
        out[i + 7] = (byte) (w >>> 8);
        out[i + 8] = (byte) w;
        return out;
      }
      i += 2 + len;
    }
    throw new IllegalStateException("no SOF0/SOF2 segment");
  }

  /** Offset of the first IDAT chunk's data. */
  static int idatData(byte[] png) {
    for (int i = 8; i + 8 < png.length; ) {
      int len = ByteBuffer.wrap(png, i, 4).getInt();
      if (new String(png, i + 4, 4, java.nio.charset.StandardCharsets.US_ASCII).equals("IDAT")) {
        return i + 8;
      }
      i += 12 + len;
    }
    throw new IllegalStateException("no IDAT");
  }

  /** A 2-frame GIF: frame 0 {@code first}, frame 1 {@code second}. */
  static byte[] gif(List<BufferedImage> frames) {
    ImageWriter w = ImageIO.getImageWritersByFormatName("gif").next();
    var out = new ByteArrayOutputStream();
    try (ImageOutputStream o = ImageIO.createImageOutputStream(out)) {
      w.setOutput(o);
      w.prepareWriteSequence(null);
      for (BufferedImage f : frames) w.writeToSequence(new IIOImage(f, null, null), null);
      w.endWriteSequence();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      w.dispose();
    }
    return out.toByteArray();
  }

  private static void chunk(ByteBuffer b, String type, byte[] data) {
    byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    b.putInt(data.length).put(t).put(data).putInt((int) crc.getValue());
  }

  private static byte[] insertAfterSoi(byte[] jpeg, byte[] segment) {
    return insert(jpeg, 2, segment);
  }

  private static byte[] insert(byte[] data, int at, byte[] segment) {
    byte[] out = new byte[data.length + segment.length];
    System.arraycopy(data, 0, out, 0, at);
    System.arraycopy(segment, 0, out, at, segment.length);
    System.arraycopy(data, at, out, at + segment.length, data.length - at);
    return out;
  }

  private static int clamp(double v) {
    return (int) Math.max(0, Math.min(255, Math.round(v)));
  }

  @FunctionalInterface
  interface PixelFunction {
    int at(int x, int y);
  }
}
