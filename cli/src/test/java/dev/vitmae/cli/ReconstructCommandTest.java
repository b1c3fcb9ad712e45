package dev.vitmae.cli;

import static dev.vitmae.cli.CliRun.model;
import static dev.vitmae.cli.CliRun.vitmae;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitmae.runtime.ModelOptions;
import dev.vitmae.runtime.VitModel;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReconstructCommandTest {
  @TempDir Path tmp;

  @Test
  void onnxMaeWritesAThreeColumnPicture() throws IOException {
    Path png = tmp.resolve("reconstruction.png");

    CliRun run =
        vitmae(
            "reconstruct",
            "--onnx",
            model("mae.onnx"),
            "--dataset",
            "synthetic",
            "-n",
            "3",
            "--out",
            png.toString());

    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains("masking ratio 0.25"), run.out());
    BufferedImage img = ImageIO.read(png.toFile());
    BufferedImage threeColumns =
        Pictures.table(
            Reconstructions.SERVED_COLUMNS,
            java.util.Collections.nCopies(3, java.util.Collections.nCopies(3, new float[28 * 28])),
            28,
            28,
            4);
    assertEquals(threeColumns.getWidth(), img.getWidth());
    assertEquals(threeColumns.getHeight(), img.getHeight());
  }

  @Test
  void checkpointAndOnnxTogetherAreRejected() {
    CliRun run =
        vitmae(
            "reconstruct",
            "--onnx",
            model("mae.onnx"),
            "--checkpoint",
            "checkpoint.zip",
            "--dataset",
            "synthetic",
            "--out",
            tmp.resolve("r.png").toString());

    assertEquals(2, run.exitCode());
    assertTrue(
        run.err().contains("--checkpoint")
            && run.err().contains("--onnx")
            && run.err().contains("mutually exclusive"),
        run.err());
  }

  @Test
  void theMaskingRatioComesFromTheModelsConfigMetadata() {
    try (VitModel mae = VitModel.open(Path.of(model("mae.onnx")), ModelOptions.defaults())) {
      assertEquals(0.25, mae.mae().maskingRatio());
    }
  }
}
