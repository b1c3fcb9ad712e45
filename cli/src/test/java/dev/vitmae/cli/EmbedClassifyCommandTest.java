package dev.vitmae.cli;

import static dev.vitmae.cli.CliRun.csv;
import static dev.vitmae.cli.CliRun.model;
import static dev.vitmae.cli.CliRun.vitmae;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbedClassifyCommandTest {
  @TempDir Path tmp;

  @Test
  void embedWritesOneRowPerImageWithIndexLabelAndEveryEmbeddingDimension() throws IOException {
    Path out = tmp.resolve("embeddings.csv");

    CliRun run =
        vitmae(
            "embed",
            "--onnx",
            model("encoder-from-mae.onnx"),
            "--dataset",
            "synthetic",
            "-n",
            "50",
            "--batch-size",
            "16",
            "--device",
            "cpu",
            "--out",
            out.toString());

    assertEquals(0, run.exitCode(), run.err());
    List<String[]> rows = csv(out);
    assertEquals(51, rows.size(), "header + 50 images");
    assertEquals("index", rows.get(0)[0]);
    assertEquals("label", rows.get(0)[1]);
    assertEquals("e15", rows.get(0)[17]);
    rows.forEach(row -> assertEquals(2 + 16, row.length));
    assertEquals("49", rows.get(50)[0]);
    assertTrue(
        run.out().contains("CPUExecutionProvider") && run.out().contains("img/s"), run.out());
  }

  @Test
  void classifyWritesPredictionsAndLogitsAndPrintsAccuracyForLabelledImages() throws IOException {
    Path out = tmp.resolve("predictions.csv");

    CliRun run =
        vitmae(
            "classify",
            "--onnx",
            model("classifier.onnx"),
            "--dataset",
            "synthetic",
            "-n",
            "40",
            "--out",
            out.toString());

    assertEquals(0, run.exitCode(), run.err());
    List<String[]> rows = csv(out);
    assertEquals(41, rows.size());
    assertEquals(
        List.of("index", "label", "predicted", "logit0"), List.of(rows.get(0)).subList(0, 4));
    rows.forEach(row -> assertEquals(3 + 10, row.length));
    assertTrue(run.out().matches("(?s).*accuracy 0\\.\\d{4} \\(\\d+ of 40\\).*"), run.out());
  }

  @Test
  void pngInputOfTheModelsSizeHasNoLabelColumn() throws IOException {
    Path png = writeGrayPng(tmp.resolve("digit.png"), 28, 28);
    Path out = tmp.resolve("p.csv");

    CliRun run =
        vitmae(
            "classify",
            "--onnx",
            model("classifier.onnx"),
            "--images",
            png.toString(),
            png.toString(),
            "--out",
            out.toString());

    assertEquals(0, run.exitCode(), run.err());
    List<String[]> rows = csv(out);
    assertEquals(3, rows.size());
    assertEquals("file", rows.get(0)[1]);
    assertEquals("predicted", rows.get(0)[2]);
    assertEquals(png.toString(), rows.get(1)[1]);
    assertArrayEquals(
        List.of(rows.get(1)).subList(2, 13).toArray(),
        List.of(rows.get(2)).subList(2, 13).toArray(),
        "the same image twice gets the same logits");
    assertFalse(run.out().contains("accuracy"), run.out());
  }

  @Test
  void anImageOfAnotherSizeIsResizedAsTheModelRecordsAndABadOneIsListed() throws IOException {
    Path png = writeGrayPng(tmp.resolve("small.png"), 20, 24);
    Path bad = java.nio.file.Files.writeString(tmp.resolve("bad.png"), "not a png");
    Path csvFile = tmp.resolve("e.csv");

    CliRun run =
        vitmae(
            "embed",
            "--onnx",
            model("encoder-from-vit.onnx"),
            "--images",
            png.toString(),
            bad.toString(),
            "--out",
            csvFile.toString());

    assertEquals(0, run.exitCode(), run.err());
    assertTrue(
        run.out().contains("1 of 2 images skipped") && run.out().contains(bad.toString()),
        run.out());
    List<String[]> rows = csv(csvFile);
    assertEquals(2, rows.size(), "header + the good image");
    assertEquals(png.toString(), rows.get(1)[1]);

    CliRun strict =
        vitmae(
            "embed",
            "--onnx",
            model("encoder-from-vit.onnx"),
            "--images",
            png.toString(),
            bad.toString(),
            "--fail-on-bad-image",
            "--out",
            tmp.resolve("e2.csv").toString());
    assertEquals(1, strict.exitCode());
    assertTrue(
        strict.err().startsWith("vitmae: ") && strict.err().contains(bad.toString()), strict.err());
    assertFalse(tmp.resolve("e2.csv").toFile().exists());
  }

  @Test
  void aModelOfAnotherKindIsRejectedWithItsKind() {
    CliRun run =
        vitmae(
            "embed",
            "--onnx",
            model("classifier.onnx"),
            "--dataset",
            "synthetic",
            "--out",
            tmp.resolve("e.csv").toString());

    assertEquals(1, run.exitCode());
    assertTrue(
        run.err().contains("embed: encoder() needs an encoder model")
            && run.err().contains("is a classifier model"),
        run.err());
  }

  @Test
  void exactlyOneImageSourceIsAccepted() {
    CliRun none = vitmae("embed", "--onnx", model("encoder-from-mae.onnx"), "--out", "x.csv");
    CliRun two =
        vitmae(
            "embed",
            "--onnx",
            model("encoder-from-mae.onnx"),
            "--images",
            "a.png",
            "--dataset",
            "synthetic",
            "--out",
            "x.csv");

    assertEquals(2, none.exitCode());
    assertTrue(none.err().contains("Missing required argument"), none.err());
    assertEquals(2, two.exitCode());
    assertTrue(two.err().contains("mutually exclusive"), two.err());
  }

  private static Path writeGrayPng(Path file, int width, int height) throws IOException {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        img.getRaster().setSample(x, y, 0, (x * 9 + y * 5) % 256);
      }
    }
    ImageIO.write(img, "png", file.toFile());
    return file;
  }
}
