package dev.vitmae.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitmae.cli.Main;
import dev.vitmae.graph.train.Checkpoint;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Continuing published pre-training on one's own images, on the command line: a whole MAE ({@code
 * mae.pth}, written by facebookresearch/mae) or I-JEPA ({@code ijepa.pth}, by
 * facebookresearch/ijepa) is imported with {@code vitmae import --model}, trained further with
 * {@code train mae|ijepa --resume}, exported, and served with parity.
 */
class PretrainingContinuationTest {

  @ParameterizedTest
  @ValueSource(strings = {"mae", "ijepa"})
  void importContinueExportServe(String kind, @TempDir Path dir) throws IOException {
    Path photos = dir.resolve("photos");
    writeFolder(photos, 32);
    Path run = dir.resolve("run");
    UpstreamFixture fixture = kind.equals("mae") ? UpstreamFixture.MAE : UpstreamFixture.IJEPA;
    String out =
        vitmae(
            "import",
            "--from",
            kind,
            "--model",
            kind,
            "--weights",
            fixture.pth().toString(),
            "--heads",
            "4",
            kind.equals("mae") ? "--decoder-heads" : "--predictor-heads",
            "2",
            "--out",
            run.resolve("checkpoint.zip").toString());
    assertTrue(out.contains("wrote") && out.contains("an " + kind + " checkpoint"), out);
    assertFalse(out.contains("not used"), "every tensor is the model's: " + out);
    Checkpoint imported = Checkpoint.read(run.resolve("checkpoint.zip"));
    assertEquals(kind, imported.kind());
    assertEquals(kind.equals("ijepa"), !imported.ema().isEmpty());

    String folder = "--data-dir=" + photos;
    out =
        vitmae(
            "train",
            kind,
            "--out",
            run.toString(),
            "--resume",
            "--dataset",
            "folder",
            folder,
            "--image-size",
            "32",
            "--epochs",
            "1",
            "--batch-size",
            "8",
            "--no-health");
    assertTrue(out.contains("resuming"), out);
    Checkpoint trained = Checkpoint.read(run.resolve("checkpoint.zip"));
    assertTrue(trained.progress().step() > 0, trained.progress().toString());
    String moved = kind.equals("mae") ? "mae/decoder/block0/attn/qkv/W" : "predictor/proj/W";
    assertFalse(
        Arrays.equals(imported.params().get(moved).data(), trained.params().get(moved).data()),
        moved + " trained");

    Path onnx = dir.resolve("onnx");
    vitmae(
        "export",
        "--checkpoint",
        run.resolve("checkpoint.zip").toString(),
        "--out",
        onnx.toString());
    assertTrue(Files.exists(onnx.resolve(kind.equals("mae") ? "mae.onnx" : "predictor.onnx")));
    out =
        vitmae(
            "parity",
            "--checkpoint",
            run.resolve("checkpoint.zip").toString(),
            "--onnx-dir",
            onnx.toString(),
            "--dataset",
            "folder",
            folder);
    assertTrue(out.contains("parity OK"), out);
  }

  /** Runs the command line; fails with its output unless it exits 0. */
  private static String vitmae(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    assertEquals(0, code, String.join(" ", args) + "\n" + out + err);
    return out.toString();
  }

  /** DIR/train/ (16 images) and DIR/test/ (4) of seeded noisy RGB images. */
  private static void writeFolder(Path dir, int size) throws IOException {
    SplittableRandom rng = new SplittableRandom(3);
    for (String split : new String[] {"train", "test"}) {
      Path folder = Files.createDirectories(dir.resolve(split));
      for (int i = 0; i < (split.equals("train") ? 16 : 4); i++) {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < size; y++) {
          for (int x = 0; x < size; x++) img.setRGB(x, y, rng.nextInt(0x1000000));
        }
        ImageIO.write(img, "png", folder.resolve(i + ".png").toFile());
      }
    }
  }
}
