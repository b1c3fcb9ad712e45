package dev.vitmae.spark;

import dev.vitmae.images.Preprocessing;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The test classes' one embedded Spark session ({@code local[2,2]}: 2 task threads, a failed task
 * is tried twice; driver on 127.0.0.1, no UI), the runtime module's tiny models, and PNG files.
 */
final class TestSpark {

  static final String ENCODER = "encoder-from-mae.onnx";
  static final String CLASSIFIER = "classifier.onnx";
  static final String MAE = "mae.onnx";
  static final int SIZE = 28;

  private static SparkSession spark;

  private TestSpark() {}

  static synchronized SparkSession spark() {
    if (spark == null) {
      spark =
          SparkSession.builder()
              .master("local[2,2]")
              .appName("vitmae-spark-tests")
              .config("spark.ui.enabled", "false")
              .config("spark.sql.shuffle.partitions", "2")
              .config("spark.driver.host", "127.0.0.1")
              .config("spark.driver.bindAddress", "127.0.0.1")
              .getOrCreate();
    }
    return spark;
  }

  /** A test model file. */
  static Path model(String name) {
    try {
      return Path.of(TestSpark.class.getResource("/models/" + name).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("missing test model " + name, e);
    }
  }

  /** {@code count} seeded 28×28 gray PNGs in {@code dir/<class>/} for each class (or in dir). */
  static List<Path> pngs(Path dir, int count, long seed, String... classes) {
    Random random = new Random(seed);
    List<Path> files = new ArrayList<>();
    String[] folders = classes.length == 0 ? new String[] {""} : classes;
    for (int i = 0; i < count; i++) {
      Path folder = dir.resolve(folders[i % folders.length]);
      files.add(png(folder.resolve(String.format("img%03d.png", i)), SIZE, random));
    }
    return files;
  }

  /** One seeded gray PNG of {@code size}×{@code size} pixels. */
  static Path png(Path file, int size, Random random) {
    BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) image.getRaster().setSample(x, y, 0, random.nextInt(256));
    }
    try {
      Files.createDirectories(file.getParent());
      ImageIO.write(image, "png", file.toFile());
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One seeded RGB PNG of {@code width}×{@code height} pixels. */
  static Path rgbPng(Path file, int width, int height, Random random) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) image.setRGB(x, y, random.nextInt(1 << 24));
    }
    try {
      Files.createDirectories(file.getParent());
      ImageIO.write(image, "png", file.toFile());
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A file that no decoder reads. */
  static Path garbage(Path file) {
    try {
      Files.createDirectories(file.getParent());
      return Files.write(file, "not a png at all".getBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Pixels of a file through module images' shared preprocessing, for the test models. */
  static float[] pixels(Path file) {
    try {
      return Preprocessing.of(SIZE, 1).apply(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An {@code array<float>} cell of a collected row. */
  static float[] floats(Row row, String column) {
    int i = row.fieldIndex(column);
    if (row.isNullAt(i)) return null;
    List<Object> list = row.getList(i);
    float[] out = new float[list.size()];
    for (int j = 0; j < out.length; j++) out[j] = ((Number) list.get(j)).floatValue();
    return out;
  }

  /** The file name at the end of a {@code path} cell. */
  static String name(Row row) {
    String path = row.getAs("path");
    return path.substring(path.lastIndexOf('/') + 1);
  }
}
