package dev.vitmae.cli;

import static dev.vitmae.cli.CliRun.model;
import static dev.vitmae.cli.CliRun.vitmae;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitmae.datasets.ImageSource;
import dev.vitmae.runtime.Device;
import dev.vitmae.runtime.ModelOptions;
import dev.vitmae.runtime.VitModel;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A valid photograph must not kill a serving run (issue 20): a white 2795x2096 image (the gray
 * 28x28 twin of the 5120x2880 photo) the resampler used to push to 1.0000017 is served with
 * the others; an image the model does refuse costs only itself, named by its file, or stops the run
 * with --fail-on-bad-image.
 */
class ServingBadImagesTest {
  @TempDir Path tmp;

  private Path folderWithOvershootingPhoto() throws IOException {
    Path dir = FolderLayoutTest.tree(tmp.resolve("photos"), List.of(""), 3);
    BufferedImage white = new BufferedImage(2795, 2096, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = white.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, 2795, 2096);
    g.dispose();
    ImageIO.write(white, "png", dir.resolve("light/2795x2096.png").toFile());
    return dir;
  }

  @Test
  void theOvershootingPhotoIsEmbeddedClassifiedAndReconstructed() throws IOException {
    Path photos = folderWithOvershootingPhoto();
    Path embeddings = tmp.resolve("e.csv");
    CliRun embed =
        vitmae(
            "embed",
            "--onnx",
            model("encoder-from-mae.onnx"),
            "--images",
            photos.toString(),
            "--out",
            embeddings.toString(),
            "--fail-on-bad-image");
    assertEquals(0, embed.exitCode(), embed.err());
    List<String> rows = Files.readAllLines(embeddings);
    assertEquals(1 + 7, rows.size(), rows.toString());
    assertTrue(rows.stream().anyMatch(r -> r.contains("2795x2096.png")), rows.toString());

    Path classes = tmp.resolve("c.csv");
    CliRun classify =
        vitmae(
            "classify",
            "--onnx",
            model("classifier.onnx"),
            "--images",
            photos.toString(),
            "--out",
            classes.toString(),
            "--fail-on-bad-image");
    assertEquals(0, classify.exitCode(), classify.err());
    assertEquals(1 + 7, Files.readAllLines(classes).size());

    CliRun reconstruct =
        vitmae(
            "reconstruct",
            "--onnx",
            model("mae.onnx"),
            "--images",
            photos.toString(),
            "-n",
            "7",
            "--out",
            tmp.resolve("r.png").toString(),
            "--fail-on-bad-image");
    assertEquals(0, reconstruct.exitCode(), reconstruct.err());
    assertTrue(Files.size(tmp.resolve("r.png")) > 0);
  }

  /**
   * Images held as floats; image {@code bad} holds a NaN, which the runtime's input check refuses.
   */
  record FloatImages(int count, int bad) implements ImageSource {
    public String name() {
      return "floats";
    }

    public int channels() {
      return 1;
    }

    public int imageSize() {
      return 28;
    }

    public void fill(int[] indices, float[] dst, int offset) {
      for (int k = 0; k < indices.length; k++) {
        int at = offset + k * 784;
        Arrays.fill(dst, at, at + 784, 0.25f + 0.05f * indices[k]);
        if (indices[k] == bad) dst[at + 100] = Float.NaN;
      }
    }
  }

  @Test
  void aRefusedImageCostsOnlyItselfAndIsNamed() {
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < 6; i++) files.add(Path.of("photos", "img" + i + ".png"));
    InputImages images = new InputImages("6 image files", new FloatImages(6, 4), null, files);
    try (VitModel encoder =
        VitModel.open(
            Path.of(model("encoder-from-mae.onnx")),
            ModelOptions.defaults().withDevice(Device.CPU))) {
      BatchedInference run =
          BatchedInference.run(
              images, 4, false, (x, n) -> encoder.encoder().embed(x, n).embedding());
      assertEquals(5, run.okCount());
      assertTrue(run.failures()[4] != null && !run.ok(4));
      for (int i : new int[] {0, 1, 2, 3, 5}) assertNull(run.failures()[i]);
      // The good image of the refused batch (5) got its embedding, as when served alone.
      float[] alone = encoder.encoder().embed(image(images, 5), 1).embedding();
      assertEquals(
          Arrays.toString(alone),
          Arrays.toString(Arrays.copyOfRange(run.values(), 5 * run.width(), 6 * run.width())));
      StringWriter report = new StringWriter();
      run.reportFailures(images, new PrintWriter(report, true));
      assertTrue(report.toString().contains(files.get(4).toString()), report.toString());

      IllegalArgumentException stop =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  BatchedInference.run(
                      images, 4, true, (x, n) -> encoder.encoder().embed(x, n).embedding()));
      assertTrue(
          stop.getMessage().startsWith(files.get(4).toString())
              && stop.getMessage().contains("--fail-on-bad-image"),
          stop.getMessage());
    }
  }

  private static float[] image(InputImages images, int i) {
    float[] one = new float[images.valuesPerImage()];
    images.copy(i, i + 1, one);
    return one;
  }
}
