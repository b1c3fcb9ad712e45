package dev.vitmae.datasets;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Image files for folder tests, written by ImageIO. */
final class TestFiles {
  private TestFiles() {}

  /** A {@code w × h} RGB image whose pixels depend on {@code seed}. */
  static BufferedImage rgb(int w, int h, int seed) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++)
        img.setRGB(x, y, (x * 7 + seed) % 256 << 16 | (y * 5 + seed) % 256 << 8 | seed % 256);
    }
    return img;
  }

  /** A gray image of the given bytes, row-major. */
  static BufferedImage gray(int w, int h, byte[] pixels, int offset) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    for (int i = 0; i < w * h; i++)
      img.getRaster().setSample(i % w, i / w, 0, pixels[offset + i] & 0xFF);
    return img;
  }

  static Path write(Path file, BufferedImage img, String format) throws IOException {
    Files.createDirectories(file.getParent());
    if (!ImageIO.write(img, format, file.toFile()))
      throw new IOException("no writer for " + format);
    return file;
  }

  static Path png(Path file, int w, int h, int seed) throws IOException {
    return write(file, rgb(w, h, seed), "png");
  }
}
