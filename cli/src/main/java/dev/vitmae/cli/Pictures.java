package dev.vitmae.cli;

import dev.vitmae.datasets.AtomicFiles;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.imageio.ImageIO;

/**
 * PNG pictures for the command line: grids of grayscale images with captions, tables of images
 * under column titles, and line charts (loss curves). Images are {@code float[height * width]}
 * row-major grayscale in [0, 1]; values outside are clamped, NaN draws black. Everything runs
 * headless.
 */
public final class Pictures {
  private static final Color PAPER = Color.WHITE;
  static final Color INK = new Color(0x22, 0x22, 0x22);
  static final Color GRID = new Color(0xDD, 0xDD, 0xDD);
  static final Color[] PALETTE = {
    new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
        new Color(0x9467bd),
    new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22),
        new Color(0x17becf),
  };
  static final Font TEXT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
  static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 14);
  private static final int GAP = 4;

  static {
    System.setProperty("java.awt.headless", "true");
  }

  private Pictures() {}

  /**
   * Images laid out left to right, {@code cols} per row, each magnified {@code scale} times, with
   * its caption (if given) centred underneath.
   *
   * @throws IllegalArgumentException if there are no images, a size is not positive, an image is
   *     not {@code height * width} long, or the captions are not one per image
   */
  public static BufferedImage grid(
      List<float[]> images,
      int height,
      int width,
      int cols,
      int scale,
      List<String> captionsOrNull) {
    checkImages(images, height, width, scale);
    if (images.isEmpty()) {
      throw new IllegalArgumentException("no images to draw");
    }
    if (cols <= 0) {
      throw new IllegalArgumentException("cols must be positive, got " + cols);
    }
    if (captionsOrNull != null && captionsOrNull.size() != images.size()) {
      throw new IllegalArgumentException(
          captionsOrNull.size() + " captions for " + images.size() + " images");
    }
    FontMetrics fm = metrics(TEXT);
    int columns = Math.min(cols, images.size());
    int rows = (images.size() + columns - 1) / columns;
    int captionHeight = captionsOrNull == null ? 0 : fm.getHeight() + 2;
    int cellWidth = Math.max(width * scale, widest(fm, captionsOrNull) + 4);
    int cellHeight = height * scale + captionHeight;
    BufferedImage img = canvas(GAP + columns * (cellWidth + GAP), GAP + rows * (cellHeight + GAP));
    Graphics2D g = graphics(img);
    g.setFont(TEXT);
    for (int i = 0; i < images.size(); i++) {
      int x = GAP + (i % columns) * (cellWidth + GAP);
      int y = GAP + (i / columns) * (cellHeight + GAP);
      paint(img, images.get(i), height, width, scale, x + (cellWidth - width * scale) / 2, y);
      if (captionsOrNull != null) {
        centred(
            g, captionsOrNull.get(i), x + cellWidth / 2, y + height * scale + 1 + fm.getAscent());
      }
    }
    g.dispose();
    return img;
  }

  /**
   * Rows of images under column titles (e.g. original | masked | reconstruction): {@code
   * rows.get(r).get(c)} is drawn in row r, column c; a null image leaves its cell blank. Images are
   * gray or RGB (see {@link #grid}).
   *
   * @throws IllegalArgumentException if there are no rows, a row does not have one image per title,
   *     or an image is not {@code height * width} long
   */
  public static BufferedImage table(
      List<String> columnTitles, List<List<float[]>> rows, int height, int width, int scale) {
    if (columnTitles.isEmpty() || rows.isEmpty()) {
      throw new IllegalArgumentException("a table needs at least one column and one row");
    }
    for (int r = 0; r < rows.size(); r++) {
      if (rows.get(r).size() != columnTitles.size()) {
        throw new IllegalArgumentException(
            "row "
                + r
                + " has "
                + rows.get(r).size()
                + " images for "
                + columnTitles.size()
                + " columns");
      }
      checkImages(rows.get(r).stream().filter(Objects::nonNull).toList(), height, width, scale);
    }
    FontMetrics fm = metrics(TITLE);
    int titleHeight = fm.getHeight() + GAP;
    int cellWidth = Math.max(width * scale, widest(fm, columnTitles) + 8);
    int cellHeight = height * scale;
    int columns = columnTitles.size();
    BufferedImage img =
        canvas(
            GAP + columns * (cellWidth + GAP),
            titleHeight + GAP + rows.size() * (cellHeight + GAP));
    Graphics2D g = graphics(img);
    g.setFont(TITLE);
    for (int c = 0; c < columns; c++) {
      int x = GAP + c * (cellWidth + GAP);
      centred(g, columnTitles.get(c), x + cellWidth / 2, GAP + fm.getAscent());
      for (int r = 0; r < rows.size(); r++) {
        float[] image = rows.get(r).get(c);
        if (image != null) {
          int y = titleHeight + GAP + r * (cellHeight + GAP);
          paint(img, image, height, width, scale, x + (cellWidth - width * scale) / 2, y);
        }
      }
    }
    g.dispose();
    return img;
  }

  /**
   * A line chart of {@code series} (name to {@code {x[], y[]}}, drawn in map order) with axes,
   * grid, tick labels, a title, an x-axis label and a legend. Non-finite points break the line.
   *
   * @throws IllegalArgumentException if a series is not two arrays of equal length or the size is
   *     below 200x150
   */
  public static BufferedImage lineChart(
      String title, String xLabel, Map<String, double[][]> series, int width, int height) {
    return LineChart.draw(title, xLabel, series, width, height);
  }

  /**
   * Writes {@code img} as PNG atomically: into a temporary file beside {@code file}, then renamed
   * over it, so a reader never sees half a picture. Creates missing parent directories.
   */
  public static void writePng(BufferedImage img, Path file) throws IOException {
    AtomicFiles.write(
        file,
        out -> {
          if (!ImageIO.write(img, "png", out)) {
            throw new IOException("no PNG writer available for " + file);
          }
        });
  }

  /**
   * Draws one image at (x, y), each pixel a {@code scale x scale} square: gray ({@code height *
   * width} values) or RGB ({@code 3 * height * width}, channel planes as in NCHW).
   */
  private static void paint(
      BufferedImage img, float[] image, int height, int width, int scale, int x, int y) {
    int plane = height * width;
    boolean colour = image.length == 3 * plane;
    for (int r = 0; r < height; r++) {
      for (int c = 0; c < width; c++) {
        int at = r * width + c;
        int red = gray(image[at]);
        int green = colour ? gray(image[plane + at]) : red;
        int blue = colour ? gray(image[2 * plane + at]) : red;
        int rgb = (red << 16) | (green << 8) | blue;
        for (int dy = 0; dy < scale; dy++) {
          for (int dx = 0; dx < scale; dx++) {
            img.setRGB(x + c * scale + dx, y + r * scale + dy, rgb);
          }
        }
      }
    }
  }

  /** A [0, 1] value as 0..255, clamped; NaN is black. */
  static int gray(float v) {
    if (!(v > 0)) {
      return 0;
    }
    return v >= 1 ? 255 : Math.round(v * 255f);
  }

  private static void checkImages(List<float[]> images, int height, int width, int scale) {
    if (height <= 0 || width <= 0 || scale <= 0) {
      throw new IllegalArgumentException(
          "height, width and scale must be positive, got " + height + ", " + width + ", " + scale);
    }
    for (int i = 0; i < images.size(); i++) {
      int n = images.get(i).length;
      if (n != height * width && n != 3 * height * width) {
        throw new IllegalArgumentException(
            "image "
                + i
                + " has "
                + n
                + " values, expected "
                + height
                + "x"
                + width
                + " = "
                + height * width
                + " (gray) or 3x that (RGB)");
      }
    }
  }

  static BufferedImage canvas(int width, int height) {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(PAPER);
    g.fillRect(0, 0, width, height);
    g.dispose();
    return img;
  }

  static Graphics2D graphics(BufferedImage img) {
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(
        RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setRenderingHint(
        RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
    g.setColor(INK);
    return g;
  }

  static FontMetrics metrics(Font font) {
    Graphics2D g = graphics(new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB));
    FontMetrics fm = g.getFontMetrics(font);
    g.dispose();
    return fm;
  }

  static int widest(FontMetrics fm, List<String> texts) {
    return texts == null ? 0 : texts.stream().mapToInt(fm::stringWidth).max().orElse(0);
  }

  static void centred(Graphics2D g, String text, int centreX, int baseline) {
    g.drawString(text, centreX - g.getFontMetrics().stringWidth(text) / 2, baseline);
  }
}
