package dev.vitmae.cli;

import static dev.vitmae.cli.CliRun.model;
import static dev.vitmae.cli.CliRun.vitmae;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The documented {@code DIR/train/<class>} + {@code DIR/test/<class>} layout works with default
 * options in every command that reads a dataset (issue 20: the CLI used to send its default test
 * fraction and the folder refused it).
 */
class FolderLayoutTest {
  @TempDir Path tmp;

  /** {@code root/<split>/<class>/i.png}, 28x28 gray, {@code perClass} per class and split. */
  static Path tree(Path root, List<String> splits, int perClass) throws IOException {
    for (String split : splits) {
      for (String cls : List.of("dark", "light")) {
        Path dir =
            Files.createDirectories(
                split.isEmpty() ? root.resolve(cls) : root.resolve(split).resolve(cls));
        for (int i = 0; i < perClass; i++) {
          BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
          int base = cls.equals("dark") ? 20 : 200;
          for (int y = 0; y < 28; y++)
            for (int x = 0; x < 28; x++)
              img.getRaster().setSample(x, y, 0, base + (x * y + i) % 40);
          ImageIO.write(img, "png", dir.resolve(i + ".png").toFile());
        }
      }
    }
    return root;
  }

  @Test
  void trainAndTestFoldersWorkWithDefaultOptions() throws IOException {
    Path photos = tree(tmp.resolve("photos"), List.of("train", "test"), 6);
    String dir = photos.toString();

    CliRun info = vitmae("data", "info", "--dataset", "folder", "--data-dir", dir);
    assertEquals(0, info.exitCode(), info.err());
    assertTrue(info.out().matches("(?s).*\\ntrain +12 .*"), info.out());
    assertTrue(info.out().matches("(?s).*\\ntest +12 .*"), info.out());

    Path csv = tmp.resolve("classes.csv");
    CliRun classify =
        vitmae(
            "classify",
            "--onnx",
            model("classifier.onnx"),
            "--dataset",
            "folder",
            "--data-dir",
            dir,
            "--image-size",
            "28",
            "--channels",
            "1",
            "--out",
            csv.toString());
    assertEquals(0, classify.exitCode(), classify.err());
    assertEquals(1 + 12, Files.readAllLines(csv).size());

    CliRun train =
        vitmae(
            TinyArgs.args(
                "train",
                "vit",
                "--dataset",
                "folder",
                "--data-dir",
                dir,
                "--image-size",
                "16",
                "--out",
                tmp.resolve("run").toString(),
                "--epochs",
                "1",
                "--batch-size",
                "8",
                TinyArgs.ENCODER));
    assertEquals(0, train.exitCode(), train.err());
  }

  @Test
  void anExplicitTestFractionOnASplitFolderIsRefusedNamingTheOption() throws IOException {
    Path photos = tree(tmp.resolve("photos"), List.of("train", "test"), 2);
    CliRun info =
        vitmae(
            "data",
            "info",
            "--dataset",
            "folder",
            "--data-dir",
            photos.toString(),
            "--test-fraction",
            "0.2");
    assertNotEquals(0, info.exitCode());
    assertTrue(info.err().contains("--test-fraction") && info.err().contains("train/"), info.err());
  }

  @Test
  void aTestFractionOfADatasetWithItsOwnSplitIsRefused() {
    CliRun info = vitmae("data", "info", "--dataset", "synthetic", "--test-fraction", "0.2");
    assertNotEquals(0, info.exitCode());
    assertTrue(info.err().contains("--test-fraction applies to --dataset folder"), info.err());
  }

  @Test
  void aClassTreeWithoutTrainFolderStillHoldsOutTheDefaultFraction() throws IOException {
    Path photos = tree(tmp.resolve("photos"), List.of(""), 10);
    CliRun info = vitmae("data", "info", "--dataset", "folder", "--data-dir", photos.toString());
    assertEquals(0, info.exitCode(), info.err());
    assertTrue(info.out().matches("(?s).*\\ntrain +18 .*"), info.out());
    assertTrue(info.out().matches("(?s).*\\ntest +2 .*"), info.out());
  }
}
