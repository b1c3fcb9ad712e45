package dev.vitmae.cli;

import static dev.vitmae.cli.CliRun.model;
import static dev.vitmae.cli.CliRun.vitmae;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitmae.graph.config.Pooling;
import dev.vitmae.graph.config.PosEmbedding;
import dev.vitmae.graph.config.TrainConfig;
import dev.vitmae.graph.config.ViTConfig;
import dev.vitmae.graph.train.Trainer;
import dev.vitmae.graph.train.VitTask;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AttentionCommandTest {
  @TempDir Path tmp;

  /**
   * A checkpoint's encoder exported in memory and the same encoder exported to a file with {@code
   * --attention} draw the same picture: image | attention | overlay, one row per image.
   */
  @Test
  void aCheckpointAndItsExportedEncoderDrawTheSamePicture() throws IOException {
    Path ckpt = tmp.resolve("checkpoint.zip");
    ViTConfig vit = new ViTConfig(28, 7, 1, 16, 2, 2, 8, 24, 10, Pooling.CLS, PosEmbedding.LEARNED);
    new Trainer(
            new VitTask(vit), new TrainConfig(1, 8, 1e-3, 0.9, 0.999, 1e-8, 0, 0, false, 0, 0, 3))
        .checkpoint()
        .write(ckpt);
    Path fromCheckpoint = tmp.resolve("a.png");
    CliRun run =
        vitmae(
            "attention",
            "--checkpoint",
            ckpt.toString(),
            "--dataset",
            "synthetic",
            "-n",
            "3",
            "--out",
            fromCheckpoint.toString());
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains("the class token's row"), run.out());

    CliRun export =
        vitmae(
            "export",
            "--checkpoint",
            ckpt.toString(),
            "--models",
            "encoder",
            "--attention",
            "--out",
            tmp.resolve("onnx").toString());
    assertEquals(0, export.exitCode(), export.err());
    Path fromOnnx = tmp.resolve("b.png");
    run =
        vitmae(
            "attention",
            "--onnx",
            tmp.resolve("onnx/encoder.onnx").toString(),
            "--dataset",
            "synthetic",
            "-n",
            "3",
            "--out",
            fromOnnx.toString());
    assertEquals(0, run.exitCode(), run.err());
    assertArrayEquals(Files.readAllBytes(fromCheckpoint), Files.readAllBytes(fromOnnx));

    BufferedImage img = ImageIO.read(fromOnnx.toFile());
    BufferedImage expected =
        Pictures.table(
            AttentionPicture.COLUMNS,
            Collections.nCopies(3, Collections.nCopies(3, new float[3 * 28 * 28])),
            28,
            28,
            4);
    assertEquals(expected.getWidth(), img.getWidth());
    assertEquals(expected.getHeight(), img.getHeight());
  }

  @Test
  void anEncoderExportedWithoutAttentionIsRefusedWithTheFix() {
    CliRun run =
        vitmae(
            "attention",
            "--onnx",
            model("encoder-from-mae.onnx"),
            "--dataset",
            "synthetic",
            "--out",
            tmp.resolve("a.png").toString());
    assertEquals(1, run.exitCode());
    assertTrue(run.err().contains("exported without the attention output"), run.err());
    assertTrue(run.err().contains("vitmae export --attention"), run.err());
  }

  @Test
  void theHeatRampRunsFromDarkToLight() {
    float[] ends = AttentionPicture.heat(new float[] {0, 1});
    // Red, green, blue planes of two pixels: dark at 0, light at 1.
    assertTrue(ends[0] + ends[2] + ends[4] < 0.1f);
    assertTrue(ends[1] + ends[3] + ends[5] > 2.5f);
  }
}
