package dev.vitmae.images;

import com.twelvemonkeys.imageio.metadata.CompoundDirectory;
import com.twelvemonkeys.imageio.metadata.Directory;
import com.twelvemonkeys.imageio.metadata.Entry;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEG;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegment;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegmentUtil;
import com.twelvemonkeys.imageio.metadata.tiff.TIFF;
import com.twelvemonkeys.imageio.metadata.tiff.TIFFReader;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/** EXIF orientation (tag 274, values 1..8) of a JPEG, and the transform that makes it upright. */
final class Orientation {
  private Orientation() {}

  /**
   * The EXIF orientation in the APP1 segment of the JPEG stream at its current position, 1 when
   * absent or unreadable (a broken EXIF block must not make a decodable photo unusable).
   */
  static int read(ImageInputStream jpeg) {
    try {
      List<JPEGSegment> exif = JPEGSegmentUtil.readSegments(jpeg, JPEG.APP1, "Exif");
      if (exif.isEmpty()) return 1;
      InputStream data = exif.get(0).data();
      if (data.read() < 0) return 1; // the pad byte after "Exif\0"
      Directory dir = new TIFFReader().read(new MemoryCacheImageInputStream(data));
      if (dir instanceof CompoundDirectory c && c.directoryCount() > 0) dir = c.getDirectory(0);
      Entry entry = dir.getEntryById(TIFF.TAG_ORIENTATION);
      if (entry != null
          && entry.getValue() instanceof Number n
          && n.intValue() >= 1
          && n.intValue() <= 8) {
        return n.intValue();
      }
      return 1;
    } catch (IOException | RuntimeException e) {
      return 1;
    }
  }

  /** {@code image} turned upright for EXIF orientation {@code o} (the same image for 1). */
  static BufferedImage apply(BufferedImage image, int o) {
    if (o == 1) return image;
    int w = image.getWidth();
    int h = image.getHeight();
    boolean swap = o >= 5;
    int ow = swap ? h : w;
    int oh = swap ? w : h;
    BufferedImage out = new BufferedImage(ow, oh, image.getType());
    Raster src = image.getRaster();
    WritableRaster dst = out.getRaster();
    int[] px = new int[src.getNumBands()];
    for (int y = 0; y < oh; y++) {
      for (int x = 0; x < ow; x++) {
        int sx;
        int sy;
        switch (o) {
          case 2 -> {
            sx = w - 1 - x;
            sy = y;
          }
          case 3 -> {
            sx = w - 1 - x;
            sy = h - 1 - y;
          }
          case 4 -> {
            sx = x;
            sy = h - 1 - y;
          }
          case 5 -> {
            sx = y;
            sy = x;
          }
          case 6 -> {
            sx = y;
            sy = h - 1 - x;
          }
          case 7 -> {
            sx = w - 1 - y;
            sy = h - 1 - x;
          }
          default -> {
            sx = w - 1 - y;
            sy = x;
          } // 8
        }
        dst.setPixel(x, y, src.getPixel(sx, sy, px));
      }
    }
    return out;
  }
}
