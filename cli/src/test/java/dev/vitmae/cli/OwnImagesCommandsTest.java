package dev.vitmae.cli;

import static dev.vitmae.cli.CliRun.vitmae;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitmae.contract.MetadataKey;
import dev.vitmae.datasets.Cifar10;
import dev.vitmae.graph.train.Checkpoint;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Your own images through the command line: an MAE trained on a folder of mixed-size JPEG and PNG
 * colour images (augmented, streamed), exported, reconstructed in colour by ONNX Runtime, checked
 * for parity and served on the files; a ViT trained on CIFAR-10-format files classifying with the
 * class names, trained on augmented views of the stored pixels.
 */
class OwnImagesCommandsTest {
  @TempDir Path tmp;

  /** Colour images of several sizes: half JPEG, half PNG, in two class folders. */
  private Path folder() throws IOException {
    Path dir = tmp.resolve("photos");
    SplittableRandom rng = new SplittableRandom(3);
    for (String cls : List.of("reds", "blues")) {
      Files.createDirectories(dir.resolve(cls));
      for (int i = 0; i < 24; i++) {
        int w = 20 + rng.nextInt(30);
        int h = 20 + rng.nextInt(30);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            int v = (x * 255 / w + rng.nextInt(40)) & 0xff;
            img.setRGB(
                x,
                y,
                cls.equals("reds") ? (v << 16) | ((y * 4) & 0xff) << 8 : v | ((y * 4) & 0xff) << 8);
          }
        }
        String format = i % 2 == 0 ? "jpg" : "png";
        ImageIO.write(
            img,
            format.equals("jpg") ? "jpeg" : "png",
            dir.resolve(cls).resolve("img" + i + (i % 4 == 1 ? ".PNG" : "." + format)).toFile());
      }
    }
    Files.writeString(dir.resolve("reds/.hidden.png"), "not an image, and hidden");
    return dir;
  }

  @Test
  void maeOnAColourFolderTrainsExportsReconstructsAndServes() throws IOException {
    Path photos = folder();
    CliRun info =
        vitmae(
            "data",
            "info",
            "--dataset",
            "folder",
            "--data-dir",
            photos.toString(),
            "--image-size",
            "16");
    assertEquals(0, info.exitCode(), info.err());
    assertTrue(info.out().contains("3x16x16") && info.out().contains("reds"), info.out());

    Path run = tmp.resolve("run");
    CliRun train =
        vitmae(
            TinyArgs.args(
                "train",
                "mae",
                "--dataset",
                "folder",
                "--data-dir",
                photos.toString(),
                "--image-size",
                "16",
                "--augment",
                "--out",
                run.toString(),
                "--epochs",
                "1",
                "--batch-size",
                "16",
                TinyArgs.ENCODER,
                TinyArgs.DECODER));
    assertEquals(0, train.exitCode(), train.err());
    Checkpoint ckpt = Checkpoint.read(run.resolve("checkpoint.zip"));
    assertEquals("16", ckpt.info().get("vitmae.preprocessing.image_size"));
    assertEquals("blues", ckpt.info().get("vitmae.class.0"));
    assertTrue(
        ckpt.info().keySet().stream().anyMatch(k -> k.startsWith("vitmae.augmentation.")),
        ckpt.info().toString());

    Path onnx = tmp.resolve("onnx");
    assertEquals(
        0,
        vitmae(
                "export",
                "--checkpoint",
                run.resolve("checkpoint.zip").toString(),
                "--out",
                onnx.toString())
            .exitCode());
    CliRun parity =
        vitmae(
            "parity",
            "--checkpoint",
            run.resolve("checkpoint.zip").toString(),
            "--onnx-dir",
            onnx.toString(),
            "--dataset",
            "folder",
            "--data-dir",
            photos.toString(),
            "--image-size",
            "16",
            "-n",
            "8",
            "--tolerance",
            "1e-5");
    assertEquals(0, parity.exitCode(), parity.out() + parity.err());

    // A folder dataset without --image-size: preprocessed as the model records (16 px).
    CliRun eval =
        vitmae(
            "eval",
            "--checkpoint",
            run.resolve("checkpoint.zip").toString(),
            "--dataset",
            "folder",
            "--data-dir",
            photos.toString());
    assertEquals(0, eval.exitCode(), eval.err());
    assertTrue(eval.out().contains("masked"), eval.out());
    CliRun embedFolder =
        vitmae(
            "embed",
            "--onnx",
            onnx.resolve("encoder.onnx").toString(),
            "--dataset",
            "folder",
            "--data-dir",
            photos.toString(),
            "--out",
            tmp.resolve("emb-folder.csv").toString());
    assertEquals(0, embedFolder.exitCode(), embedFolder.err());

    Path picture = tmp.resolve("r.png");
    CliRun rec =
        vitmae(
            "reconstruct",
            "--onnx",
            onnx.resolve("mae.onnx").toString(),
            "--dataset",
            "folder",
            "--data-dir",
            photos.toString(),
            "--image-size",
            "16",
            "-n",
            "4",
            "--out",
            picture.toString());
    assertEquals(0, rec.exitCode(), rec.err());
    assertTrue(
        hasColour(ImageIO.read(picture.toFile())),
        "an RGB model's reconstruction picture is in colour");
    Path fromFiles = tmp.resolve("r-files.png");
    CliRun recFiles =
        vitmae(
            "reconstruct",
            "--checkpoint",
            run.resolve("checkpoint.zip").toString(),
            "--images",
            photos.resolve("blues").toString(),
            "-n",
            "3",
            "--out",
            fromFiles.toString());
    assertEquals(0, recFiles.exitCode(), recFiles.err());
    assertTrue(
        hasColour(ImageIO.read(fromFiles.toFile())),
        "files of any size, the recorded preprocessing");

    Path csv = tmp.resolve("emb.csv");
    CliRun embed =
        vitmae(
            "embed",
            "--onnx",
            onnx.resolve("encoder.onnx").toString(),
            "--images",
            photos.resolve("reds").toString(),
            "--out",
            csv.toString());
    assertEquals(0, embed.exitCode(), embed.err());
    List<String[]> rows = CliRun.csv(csv);
    assertEquals(25, rows.size(), "header + 24 images (the hidden file skipped)");
    assertEquals("file", rows.get(0)[1]);
    assertTrue(rows.get(1)[1].endsWith("img0.jpg"), rows.get(1)[1]);
  }

  @Test
  void vitOnCifarFormatFilesClassifiesWithClassNames() throws IOException {
    Path dir = tmp.resolve("cifar").resolve(Cifar10.FOLDER);
    Files.createDirectories(dir);
    SplittableRandom rng = new SplittableRandom(1);
    for (String name :
        List.of(
            "data_batch_1",
            "data_batch_2",
            "data_batch_3",
            "data_batch_4",
            "data_batch_5",
            "test_batch")) {
      byte[] records = new byte[20 * Cifar10.RECORD_BYTES];
      for (int r = 0; r < 20; r++) {
        int label = r % 10;
        records[r * Cifar10.RECORD_BYTES] = (byte) label;
        for (int p = 1; p < Cifar10.RECORD_BYTES; p++) {
          records[r * Cifar10.RECORD_BYTES + p] = (byte) (label * 20 + rng.nextInt(40));
        }
      }
      Files.write(dir.resolve(name + ".bin"), records);
    }
    Files.writeString(dir.resolve("batches.meta.txt"), String.join("\n", Cifar10.CLASSES) + "\n");
    Path run = tmp.resolve("vit");
    CliRun train =
        vitmae(
            TinyArgs.args(
                "train",
                "vit",
                "--dataset",
                "cifar10",
                "--data-dir",
                tmp.resolve("cifar").toString(),
                "--out",
                run.toString(),
                "--epochs",
                "1",
                "--batch-size",
                "25",
                TinyArgs.ENCODER,
                "--lr",
                "1e-3",
                "--augment",
                "--augment-scale",
                "0.5"));
    assertEquals(0, train.exitCode(), train.err());
    // Stored pixels are augmented too, with the crop scale asked for, and the checkpoint says so.
    assertEquals(
        "0.5,1.0",
        MetadataKey.AUGMENTATION_CROP_SCALE
            .get(Checkpoint.read(run.resolve("checkpoint.zip")).info())
            .orElseThrow());
    Path onnx = tmp.resolve("vit-onnx");
    assertEquals(
        0,
        vitmae(
                "export",
                "--checkpoint",
                run.resolve("checkpoint.zip").toString(),
                "--out",
                onnx.toString())
            .exitCode());
    Path csv = tmp.resolve("pred.csv");
    CliRun classify =
        vitmae(
            "classify",
            "--onnx",
            onnx.resolve("classifier.onnx").toString(),
            "--dataset",
            "cifar10",
            "--data-dir",
            tmp.resolve("cifar").toString(),
            "--out",
            csv.toString());
    assertEquals(0, classify.exitCode(), classify.err());
    List<String[]> rows = CliRun.csv(csv);
    assertEquals("predicted_class", rows.get(0)[3]);
    assertTrue(Cifar10.CLASSES.contains(rows.get(1)[3]), rows.get(1)[3]);
    assertEquals(10, rows.get(0).length - 4, "one logit per class: " + List.of(rows.get(0)));
    assertTrue(
        classify.out().contains("predicted: " + rows.get(1)[3] + " ")
            || classify.out().contains(", " + rows.get(1)[3] + " "),
        "the console names the predicted classes: " + classify.out());
  }

  private static boolean hasColour(BufferedImage img) {
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        int rgb = img.getRGB(x, y);
        int r = (rgb >> 16) & 0xff;
        int g = (rgb >> 8) & 0xff;
        int b = rgb & 0xff;
        if (Math.abs(r - g) > 30 || Math.abs(g - b) > 30) return true;
      }
    }
    return false;
  }
}
