package dev.vitmae.images;

import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes JPEG (baseline, progressive, CMYK/YCCK via TwelveMonkeys), PNG (8/16-bit gray, gray +
 * alpha, palette, RGB, RGBA), BMP and GIF (first frame) into an upright, opaque, 8-bit image:
 * {@code TYPE_BYTE_GRAY} for gray sources, {@code TYPE_INT_RGB} or (as JPEG decoders return it)
 * {@code TYPE_3BYTE_BGR} otherwise.
 *
 * <p>Alpha is composited onto {@code background} (0xRRGGBB, default white); JPEGs are turned
 * upright by their EXIF orientation; 16-bit samples are scaled to 8 bits without gamma. An image
 * whose header claims more than {@code maxPixels} pixels is refused before any pixel memory is
 * allocated. PNG chunk CRCs and a JPEG decoder's "premature end" warning are checked, so cut or
 * corrupt files fail instead of decoding silently into wrong pixels. Every failure is a {@link
 * BadImageException} naming the source and the reason. Thread-safe (immutable).
 *
 * @param maxPixels the largest width × height accepted
 * @param background 0xRRGGBB that transparent pixels are composited onto
 */
public record ImageDecoder(long maxPixels, int background) {
  /** PIL's {@code Image.MAX_IMAGE_PIXELS}: about 89.5 megapixels (a 1 GB RGBA image / 3). */
  public static final long DEFAULT_MAX_PIXELS = 89_478_485L;

  /** White, the default background for transparent pixels. */
  public static final int WHITE = 0xFFFFFF;

  public ImageDecoder {
    if (maxPixels < 1)
      throw new IllegalArgumentException("maxPixels must be >= 1, got " + maxPixels);
    if ((background & ~0xFFFFFF) != 0) {
      throw new IllegalArgumentException(
          String.format("background must be 0xRRGGBB (0..0xFFFFFF), got 0x%X", background));
    }
  }

  /** {@link #DEFAULT_MAX_PIXELS}, white background. */
  public static ImageDecoder defaults() {
    return new ImageDecoder(DEFAULT_MAX_PIXELS, WHITE);
  }

  public ImageDecoder withMaxPixels(long max) {
    return new ImageDecoder(max, background);
  }

  public ImageDecoder withBackground(int rgb) {
    return new ImageDecoder(maxPixels, rgb);
  }

  /**
   * Decodes an image file.
   *
   * @throws BadImageException naming the file: missing, a directory, unreadable, empty, not an
   *     image, truncated, corrupt, or over {@link #maxPixels()}
   */
  public BufferedImage read(Path file) throws BadImageException {
    String name = file.toString();
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      boolean link = Files.isSymbolicLink(file);
      throw new BadImageException(name, link ? "dangling symbolic link" : "no such file", e);
    } catch (IOException e) {
      throw new BadImageException(name, "cannot read its attributes: " + describe(e), e);
    }
    if (attrs.isDirectory()) throw new BadImageException(name, "is a directory, not an image file");
    if (!attrs.isRegularFile()) throw new BadImageException(name, "not a regular file");
    if (attrs.size() == 0) throw new BadImageException(name, "empty file (0 bytes)");
    if (!Files.isReadable(file)) throw new BadImageException(name, "permission denied");
    ImageInputStream in;
    try {
      in = ImageIO.createImageInputStream(file.toFile());
    } catch (IOException | RuntimeException e) {
      throw new BadImageException(name, "cannot open: " + describe(e), e);
    }
    if (in == null) throw new BadImageException(name, "cannot open for reading");
    try (in) {
      return decode(in, name);
    } catch (AccessDeniedException e) {
      throw new BadImageException(name, "permission denied", e);
    } catch (BadImageException e) {
      throw e;
    } catch (IOException e) {
      throw new BadImageException(name, "cannot read: " + describe(e), e);
    }
  }

  /**
   * Decodes an image held in memory; {@code name} is used in messages.
   *
   * @throws BadImageException naming {@code name}, as {@link #read(Path)}
   */
  public BufferedImage read(byte[] bytes, String name) throws BadImageException {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length == 0) throw new BadImageException(name, "empty (0 bytes)");
    try (ImageInputStream in = new ByteArrayImageInputStream(bytes)) {
      return decode(in, name);
    } catch (BadImageException e) {
      throw e;
    } catch (IOException e) {
      throw new BadImageException(name, "cannot read: " + describe(e), e);
    }
  }

  private BufferedImage decode(ImageInputStream in, String name) throws IOException {
    Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
    if (!readers.hasNext()) {
      throw new BadImageException(
          name,
          "not an image in a supported format (JPEG, PNG, BMP, "
              + "GIF): it starts with "
              + preview(in));
    }
    ImageReader reader = readers.next();
    String format = reader.getFormatName().toUpperCase(Locale.ROOT);
    try {
      int orientation = 1;
      if (format.equals("JPEG")) {
        orientation = Orientation.read(in);
        in.seek(0);
      } else if (format.equals("PNG")) {
        String problem = PngCheck.problem(in);
        if (problem != null) throw new BadImageException(name, problem);
        in.seek(0);
      }
      List<String> warnings = new ArrayList<>();
      reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
      reader.setInput(in, true, true);
      int width = reader.getWidth(0);
      int height = reader.getHeight(0);
      if (width <= 0 || height <= 0) {
        throw new BadImageException(name, format + " header claims " + width + "x" + height);
      }
      long pixels = (long) width * height;
      if (pixels > maxPixels) {
        throw new BadImageException(
            name,
            format
                + " header claims "
                + width
                + "x"
                + height
                + " = "
                + pixels
                + " pixels, more than the limit of "
                + maxPixels
                + " (refused before decoding)");
      }
      BufferedImage image = reader.read(0);
      for (String w : warnings) {
        String lower = w.toLowerCase(Locale.ROOT);
        if (lower.contains("premature end") || lower.contains("truncat")) {
          throw new BadImageException(name, "truncated " + format + ": " + w);
        }
      }
      return Orientation.apply(opaque(image, background), orientation);
    } catch (BadImageException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new BadImageException(name, "corrupt " + format + " data: " + describe(e), e);
    } finally {
      reader.dispose();
    }
  }

  /**
   * {@code image} as an opaque 8-bit image: {@code TYPE_BYTE_GRAY} when its colour space is gray
   * (any bit depth, with or without alpha), {@code TYPE_INT_RGB} otherwise; alpha composited on
   * {@code background}. Returns {@code image} itself when it already is {@code TYPE_BYTE_GRAY},
   * {@code TYPE_INT_RGB} or {@code TYPE_3BYTE_BGR} (what JPEG decoders return).
   */
  public static BufferedImage opaque(BufferedImage image, int background) {
    ColorModel cm = image.getColorModel();
    boolean gray =
        !(cm instanceof IndexColorModel) && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY;
    if (gray)
      return image.getType() == BufferedImage.TYPE_BYTE_GRAY ? image : gray(image, background);
    if (image.getType() == BufferedImage.TYPE_INT_RGB) return image;
    if (image.getType() == BufferedImage.TYPE_3BYTE_BGR) return image; // opaque 8-bit already
    int w = image.getWidth();
    int h = image.getHeight();
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    int[] dst = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
    if (!abgrBytes(image, dst)) image.getRGB(0, 0, w, h, dst, 0, w); // sRGB, not premultiplied
    if (cm.hasAlpha()) {
      int br = background >>> 16 & 0xFF;
      int bg = background >>> 8 & 0xFF;
      int bb = background & 0xFF;
      for (int i = 0; i < dst.length; i++) {
        int p = dst[i];
        int a = p >>> 24;
        if (a == 255) continue;
        dst[i] =
            blend(p >>> 16 & 0xFF, br, a) << 16
                | blend(p >>> 8 & 0xFF, bg, a) << 8
                | blend(p & 0xFF, bb, a);
      }
    }
    return out;
  }

  /**
   * The fast path for {@code TYPE_4BYTE_ABGR} (e.g. PNGs with alpha) backed by a whole byte array:
   * ARGB ints without {@code getRGB}'s per-pixel colour model.
   */
  private static boolean abgrBytes(BufferedImage image, int[] dst) {
    if (image.getType() != BufferedImage.TYPE_4BYTE_ABGR
        || !(image.getRaster().getDataBuffer() instanceof DataBufferByte buffer)
        || image.getRaster().getSampleModelTranslateX() != 0
        || image.getRaster().getSampleModelTranslateY() != 0
        || buffer.getData().length != dst.length * 4) {
      return false;
    }
    byte[] b = buffer.getData();
    for (int i = 0, j = 0; i < dst.length; i++, j += 4) { // bytes A, B, G, R
      dst[i] =
          (b[j] & 0xFF) << 24
              | (b[j + 3] & 0xFF) << 16
              | (b[j + 2] & 0xFF) << 8
              | (b[j + 1] & 0xFF);
    }
    return true;
  }

  private static BufferedImage gray(BufferedImage image, int background) {
    ColorModel cm = image.getColorModel();
    Raster r = image.getRaster();
    int w = image.getWidth();
    int h = image.getHeight();
    double max = (1L << cm.getComponentSize(0)) - 1;
    boolean alpha = cm.hasAlpha() && r.getNumBands() > 1;
    double amax = alpha ? (1L << cm.getComponentSize(1)) - 1 : 1;
    boolean premultiplied = cm.isAlphaPremultiplied();
    double back =
        ((background >>> 16 & 0xFF) * 299
                + (background >>> 8 & 0xFF) * 587
                + (background & 0xFF) * 114)
            / 1000.0;
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    int[] v = new int[w];
    int[] a = new int[w];
    for (int y = 0; y < h; y++) {
      r.getSamples(0, y, w, 1, 0, v);
      if (alpha) r.getSamples(0, y, w, 1, 1, a);
      for (int x = 0; x < w; x++) {
        double g = v[x] * 255.0 / max;
        if (alpha) {
          double t = a[x] / amax;
          g = (premultiplied ? g : g * t) + back * (1 - t);
        }
        v[x] = (int) Math.min(255, Math.max(0, Math.round(g)));
      }
      out.getRaster().setSamples(0, y, w, 1, 0, v);
    }
    return out;
  }

  private static int blend(int c, int back, int alpha) {
    return (c * alpha + back * (255 - alpha) + 127) / 255;
  }

  private static String preview(ImageInputStream in) {
    try {
      in.seek(0);
      byte[] head = new byte[12];
      int n = Math.max(0, in.read(head));
      StringBuilder s = new StringBuilder("\"");
      for (int i = 0; i < n; i++) {
        int c = head[i] & 0xFF;
        s.append(c >= 32 && c < 127 ? String.valueOf((char) c) : String.format("\\x%02X", c));
      }
      return s.append('"').toString();
    } catch (IOException e) {
      return "unreadable bytes";
    }
  }

  private static String describe(Throwable e) {
    StringBuilder s = new StringBuilder();
    for (Throwable t = e; t != null && s.length() < 300; t = t.getCause()) {
      if (s.length() > 0) s.append(": ");
      String m = t.getMessage();
      s.append(m == null || m.isBlank() ? t.getClass().getSimpleName() : m);
    }
    return s.toString();
  }
}
