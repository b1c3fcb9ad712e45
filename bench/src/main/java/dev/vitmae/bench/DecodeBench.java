package dev.vitmae.bench;

import dev.vitmae.datasets.AtomicFiles;
import dev.vitmae.datasets.BatchLoader;
import dev.vitmae.datasets.ImageFolder;
import dev.vitmae.datasets.ImageSource;
import dev.vitmae.images.ImageDecoder;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Decode + preprocess throughput of the image-folder loader (not a test): 32×32 PNGs → 32, and
 * 500×375 JPEGs → 224 and → 32, with 1 and 2 loader threads, through {@link ImageFolder} and {@link
 * BatchLoader} exactly as training reads them (no cache, batches of 64, prefetch depth 2 ×
 * threads).
 *
 * <pre>
 * java -cp ... dev.vitmae.bench.DecodeBench [--photos DIR] [--seconds S] [--pngs N] [--jpegs N]
 * </pre>
 *
 * <p>{@code --photos DIR}: photographs to cut the files from (e.g. a Debian wallpaper package);
 * without it the files are synthetic. Files go to a temporary folder, removed at the end.
 */
public final class DecodeBench {
  private DecodeBench() {}

  public static void main(String[] args) throws Exception {
    Path photos = null;
    double seconds = 5;
    int pngs = 2000;
    int jpegs = 300;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--photos" -> photos = Path.of(args[++i]);
        case "--seconds" -> seconds = Double.parseDouble(args[++i]);
        case "--pngs" -> pngs = Integer.parseInt(args[++i]);
        case "--jpegs" -> jpegs = Integer.parseInt(args[++i]);
        default ->
            throw new IllegalArgumentException(
                "unknown option "
                    + args[i]
                    + "; options: --photos DIR --seconds S --pngs N --jpegs N");
      }
    }
    Path work = Files.createTempDirectory("vitmae-decode-bench");
    try {
      List<BufferedImage> sources = photos == null ? List.of() : load(photos);
      System.out.printf(
          "sources: %s; cores %d; load average %.2f%n",
          sources.isEmpty() ? "synthetic" : sources.size() + " photographs from " + photos,
          Runtime.getRuntime().availableProcessors(),
          java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
      Random random = new Random(1);
      Path png = work.resolve("png32");
      for (int i = 0; i < pngs; i++) {
        write(png.resolve(i + ".png"), scaled(crop(sources, random, 4, 4), 32, 32), "png");
      }
      Path jpg = work.resolve("jpeg500");
      for (int i = 0; i < jpegs; i++) {
        write(jpg.resolve(i + ".jpg"), scaled(crop(sources, random, 4, 3), 500, 375), "jpeg");
      }
      System.out.println("| files | → size | threads | images/s | ms/image/thread |");
      System.out.println("| --- | --- | --- | --- | --- |");
      for (int threads = 1; threads <= 2; threads++) {
        run("32×32 PNG", png, 32, threads, seconds);
        run("500×375 JPEG", jpg, 224, threads, seconds);
        run("500×375 JPEG", jpg, 32, threads, seconds);
      }
      System.out.printf(
          "load average at the end %.2f%n",
          java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    } finally {
      try (Stream<Path> all = Files.walk(work)) {
        for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
      }
    }
  }

  private static void run(String what, Path dir, int size, int threads, double seconds)
      throws IOException {
    ImageSource source = ImageFolder.builder(dir).imageSize(size).channels(3).build().train();
    List<int[]> batches = new ArrayList<>();
    for (int from = 0; from < source.count(); from += 64) {
      int[] b = new int[Math.min(64, source.count() - from)];
      for (int k = 0; k < b.length; k++) b[k] = from + k;
      batches.add(b);
    }
    pass(source, batches, threads); // warm-up
    long images = 0;
    long start = System.nanoTime();
    double elapsed;
    do {
      images += pass(source, batches, threads);
      elapsed = (System.nanoTime() - start) / 1e9;
    } while (elapsed < seconds);
    double rate = images / elapsed;
    System.out.printf(
        "| %s | %d | %d | %.0f | %.2f |%n", what, size, threads, rate, 1000.0 * threads / rate);
  }

  private static long pass(ImageSource source, List<int[]> batches, int threads) {
    long n = 0;
    try (BatchLoader loader = BatchLoader.open(source, batches, threads, 2 * threads)) {
      while (loader.hasNext()) n += loader.next().indices().length;
    }
    return n;
  }

  private static List<BufferedImage> load(Path dir) throws IOException {
    List<BufferedImage> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.sorted().toList()) {
        String n = f.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png")) {
          out.add(ImageDecoder.defaults().read(f));
        }
      }
    }
    return out;
  }

  /** A random region of aspect {@code aw:ah} of a random photograph, or a synthetic image. */
  private static BufferedImage crop(List<BufferedImage> photos, Random random, int aw, int ah) {
    if (photos.isEmpty()) {
      BufferedImage img = new BufferedImage(aw * 125, ah * 125, BufferedImage.TYPE_INT_RGB);
      int a = random.nextInt(256);
      for (int y = 0; y < img.getHeight(); y++) {
        for (int x = 0; x < img.getWidth(); x++) {
          int noise = random.nextInt(32);
          img.setRGB(
              x, y, (x + a + noise) % 256 << 16 | (y * 2 + noise) % 256 << 8 | (x ^ y) % 256);
        }
      }
      return img;
    }
    BufferedImage p = photos.get(random.nextInt(photos.size()));
    double max = Math.min((double) p.getWidth() / aw, (double) p.getHeight() / ah);
    double unit = max * (0.15 + 0.85 * random.nextDouble());
    int w = (int) (unit * aw);
    int h = (int) (unit * ah);
    return p.getSubimage(
        random.nextInt(p.getWidth() - w + 1), random.nextInt(p.getHeight() - h + 1), w, h);
  }

  private static BufferedImage scaled(BufferedImage src, int w, int h) {
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    var g = out.createGraphics();
    g.setRenderingHint(
        RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
    g.drawImage(src, 0, 0, w, h, null);
    g.dispose();
    return out;
  }

  private static void write(Path file, BufferedImage img, String format) throws IOException {
    AtomicFiles.write(
        file,
        out -> {
          ImageWriter w = ImageIO.getImageWritersByFormatName(format).next();
          ImageWriteParam p = w.getDefaultWriteParam();
          if (format.equals("jpeg")) {
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(0.9f);
          }
          try (ImageOutputStream o = ImageIO.createImageOutputStream(out)) {
            w.setOutput(o);
            w.write(null, new IIOImage(img, null, null), p);
          } finally {
            w.dispose();
          }
        });
  }
}
