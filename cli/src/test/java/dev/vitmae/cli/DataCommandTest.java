package dev.vitmae.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataCommandTest {
  @TempDir Path tmp;

  /** Exit code and captured output of one command line. */
  record Result(int exitCode, String out, String err) {}

  static Result vitmae(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void infoOnSyntheticPrintsCountsHistogramAndPixelStatistics() {
    Result result = vitmae("data", "info", "--dataset", "synthetic");

    assertEquals(0, result.exitCode(), result.err());
    assertTrue(
        result.out().matches("(?s).*train\\s+6000\\s+1x28x28\\s+0\\.\\d{4}\\s+0\\.\\d{4}.*"),
        result.out());
    assertTrue(result.out().matches("(?s).*test\\s+1000\\s+1x28x28.*"), result.out());
    long classRows =
        result
            .out()
            .lines()
            .filter(line -> line.matches("\\d\\s+\\d\\s+\\d+\\s+[\\d.]+%\\s+\\d+\\s+[\\d.]+%"))
            .count();
    assertEquals(10, classRows, result.out());
  }

  @Test
  void previewWritesAPngGridOfTheRequestedSize() throws IOException {
    Path png = tmp.resolve("sub/x.png");

    Result result =
        vitmae(
            "data",
            "preview",
            "--dataset",
            "synthetic",
            "-n",
            "10",
            "--cols",
            "4",
            "--scale",
            "2",
            "--out",
            png.toString());

    assertEquals(0, result.exitCode(), result.err());
    BufferedImage img = ImageIO.read(png.toFile());
    // 4 columns of 56-pixel images with 4-pixel gaps; 3 rows, each with a caption band.
    assertEquals(4 + 4 * (56 + 4), img.getWidth());
    assertTrue(
        img.getHeight() > 4 + 3 * (56 + 4) && img.getHeight() < 4 + 3 * (56 + 40),
        "height " + img.getHeight());
    try (var files = Files.list(png.getParent())) {
      assertEquals(List.of(png), files.toList(), "no temporary file is left behind");
    }
  }

  @Test
  void missingMnistFailsWithOneLineNamingTheFileAndTheFetchCommand() throws IOException {
    Path empty = Files.createDirectory(tmp.resolve("empty"));

    Result result = vitmae("data", "info", "--dataset", "mnist", "--data-dir", empty.toString());

    assertEquals(1, result.exitCode());
    assertTrue(result.err().startsWith("vitmae: "), result.err());
    assertTrue(result.err().contains("train-images-idx3-ubyte"), result.err());
    assertTrue(result.err().contains("./vitmae data fetch mnist"), result.err());
    assertFalse(result.err().contains("\tat "), "no stack trace: " + result.err());
  }

  @Test
  void badParametersPrintUsageAndExitTwo() {
    Result unknown = vitmae("data", "info", "--dataset", "cifar");
    Result missing = vitmae("data");

    assertEquals(2, unknown.exitCode());
    assertTrue(unknown.err().contains("fashion-mnist, mnist, synthetic"), unknown.err());
    assertTrue(unknown.err().contains("Usage: vitmae data info"), unknown.err());
    assertEquals(2, missing.exitCode());
    assertTrue(missing.err().contains("Usage: vitmae data"), missing.err());
  }

  @Test
  void lineChartDrawsEverySeriesInItsOwnColour() throws IOException {
    Map<String, double[][]> series = new LinkedHashMap<>();
    series.put("train loss", new double[][] {{0, 100, 200, 300}, {1.2, 0.6, 0.4, 0.35}});
    series.put("val loss", new double[][] {{0, 150, 300}, {1.3, Double.NaN, 0.45}});

    BufferedImage chart = Pictures.lineChart("MAE loss", "step", series, 640, 400);
    Path png = tmp.resolve("loss.png");
    Pictures.writePng(chart, png);

    assertEquals(640, ImageIO.read(png.toFile()).getWidth());
    assertTrue(countPixels(chart, Pictures.PALETTE[0].getRGB()) > 100, "train loss line");
    assertTrue(countPixels(chart, Pictures.PALETTE[1].getRGB()) > 20, "val loss legend and point");
  }

  @Test
  void gridClampsPixelsToTheUnitRange() {
    float[] image = {-1f, 0f, 0.5f, 2f, Float.NaN, 1f};

    BufferedImage grid = Pictures.grid(List.of(image), 2, 3, 1, 1, null);

    int[] expected = {0, 0, 128, 255, 0, 255};
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], grid.getRGB(4 + i % 3, 4 + i / 3) & 0xff, "pixel " + i);
    }
  }

  private static long countPixels(BufferedImage img, int argb) {
    long n = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        n += img.getRGB(x, y) == argb ? 1 : 0;
      }
    }
    return n;
  }
}
