package dev.vitmae.cli;

import static dev.vitmae.cli.CliRun.vitmae;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the command line says when something is wrong: one plain line, the way out named. */
class MessagesTest {
  @TempDir Path tmp;

  @Test
  void aCorruptCheckpointIsNamedOnce() throws IOException {
    Path file = tmp.resolve("checkpoint.zip");
    try (OutputStream out = Files.newOutputStream(file);
        ZipOutputStream zip = new ZipOutputStream(out)) {
      zip.putNextEntry(new ZipEntry("something-else.txt"));
      zip.write(1);
    }
    CliRun run =
        vitmae("export", "--checkpoint", file.toString(), "--out", tmp.resolve("o").toString());
    assertEquals(1, run.exitCode());
    String err = run.err();
    assertTrue(err.contains("checkpoint.json"), err);
    assertEquals(err.indexOf(file.toString()), err.lastIndexOf(file.toString()), err);
  }

  @Test
  void anEmptyOnnxFileIsSaidPlainly() throws IOException {
    Path empty = Files.createFile(tmp.resolve("encoder.onnx"));
    CliRun run =
        vitmae(
            "embed",
            "--onnx",
            empty.toString(),
            "--dataset",
            "synthetic",
            "--out",
            tmp.resolve("e.csv").toString());
    assertEquals(1, run.exitCode());
    assertTrue(run.err().contains(empty + ": empty file (0 bytes), not an ONNX model"), run.err());
    assertFalse(run.err().contains(".cc"), "no ONNX Runtime source location: " + run.err());
  }

  @Test
  void aRunStoppedByABadImageNamesTheOptionThatSkipsIt() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("photos"));
    for (int i = 0; i < 4; i++) {
      ImageIO.write(
          new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB),
          "png",
          dir.resolve(i + ".png").toFile());
    }
    Files.createFile(dir.resolve("broken.png"));
    CliRun run =
        vitmae(
            "data",
            "preview",
            "--dataset",
            "folder",
            "--data-dir",
            dir.toString(),
            "--image-size",
            "8",
            "--split",
            "train",
            "--out",
            tmp.resolve("p.png").toString());
    assertEquals(1, run.exitCode(), run.out());
    assertTrue(run.err().contains("broken.png"), run.err());
    assertTrue(run.err().contains("--skip-bad-images"), run.err());
  }

  @Test
  void sparkIsListedInTheHelp() {
    CliRun help = vitmae("--help");
    assertEquals(0, help.exitCode());
    assertTrue(help.out().contains("spark "), help.out());
    CliRun direct = vitmae("spark", "embed", "--model", "m.onnx");
    assertEquals(1, direct.exitCode());
    assertTrue(direct.err().contains("./vitmae spark embed --model m.onnx"), direct.err());
  }

  @Test
  void importRefusesTheOptionsOfAnotherModel() {
    String weights = tmp.resolve("model.safetensors").toString();
    String out = tmp.resolve("vit.zip").toString();
    String[] vit = {"import", "--from", "timm", "--weights", weights, "--out", out};
    String[] mae = {
      "import", "--from", "mae", "--model", "mae", "--weights", weights, "--out", out
    };
    CliRun ratio = refused(vit, "--masking-ratio", "0.5");
    assertTrue(ratio.err().contains("--masking-ratio"), ratio.err());
    assertTrue(ratio.err().contains("not --model vit's"), ratio.err());
    CliRun ijepa = refused(mae, "--predictor-heads", "4");
    assertTrue(ijepa.err().contains("--predictor-heads is --model ijepa's"), ijepa.err());
    CliRun classes = refused(mae, "--num-classes", "5");
    assertTrue(classes.err().contains("--num-classes is --model vit's"), classes.err());
    CliRun context = refused(vit, "--context-encoder");
    assertTrue(context.err().contains("not of --from timm --model vit"), context.err());
  }

  @Test
  void augmentScaleWithoutAugmentIsRefused() {
    String[] train = {
      "train", "vit", "--dataset", "synthetic", "--out", tmp.resolve("r").toString()
    };
    CliRun run = refused(train, "--augment-scale", "0.5");
    assertTrue(run.err().contains("--augment-scale applies with --augment"), run.err());
  }

  @Test
  void labelSmoothingOrDropPathOfAModelWithoutThemIsRefusedBeforeAnythingIsWritten() {
    Path out = tmp.resolve("smoothed-mae");
    String[] train = {"train", "mae", "--dataset", "synthetic", "--out", out.toString()};
    CliRun run = refused(train, "--label-smoothing", "0.1");
    assertTrue(run.err().contains("label smoothing 0.1 needs labels"), run.err());
    assertFalse(Files.exists(out), "nothing written");
    run = refused(train, "--drop-path", "0.1");
    assertTrue(run.err().contains("drop path 0.1 is stochastic depth"), run.err());
    assertFalse(Files.exists(out), "nothing written");
  }

  /** {@code vitmae base... extra...}, which must exit with 1 (a refused option). */
  private static CliRun refused(String[] base, String... extra) {
    String[] args = java.util.Arrays.copyOf(base, base.length + extra.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    CliRun run = vitmae(args);
    assertEquals(1, run.exitCode(), run.err());
    return run;
  }

  @Test
  void syntheticDataNamesItsSeedOption() {
    CliRun run = vitmae("data", "fetch", "synthetic");
    assertEquals(1, run.exitCode());
    assertTrue(run.err().contains("generated from --data-seed"), run.err());
  }

  @Test
  void resumeWithAnEncoderToStartFromIsRefused() {
    CliRun run =
        vitmae(
            "train",
            "mae",
            "--dataset",
            "synthetic",
            "--out",
            tmp.resolve("run").toString(),
            "--resume",
            "--init-encoder",
            tmp.resolve("other.zip").toString());
    assertEquals(1, run.exitCode());
    assertTrue(run.err().contains("--init-encoder starts a fresh run's encoder"), run.err());
  }
}
