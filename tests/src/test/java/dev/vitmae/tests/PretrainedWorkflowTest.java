package dev.vitmae.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitmae.api.Parity;
import dev.vitmae.api.Pretrained;
import dev.vitmae.api.TrainedModel;
import dev.vitmae.api.Training;
import dev.vitmae.cli.Main;
import dev.vitmae.datasets.FloatImages;
import dev.vitmae.graph.pretrained.Source;
import dev.vitmae.graph.pretrained.WeightMapping;
import dev.vitmae.graph.train.Checkpoint;
import dev.vitmae.upstream.UpstreamFixture;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Start from public weights: a state dict written by timm itself (the {@code timm_vit_token}
 * upstream fixture: 32-px RGB, patches of 8, dim 32, 2 blocks, 4 heads, head of 10) is imported,
 * fine-tuned for a few steps, exported and served with parity — through the Java API and through
 * the command line ({@code vitmae import}, {@code train vit --init-encoder}, {@code export}, {@code
 * parity}, {@code embed}, {@code eval probe}).
 */
class PretrainedWorkflowTest {
  private static final WeightMapping.Options FOUR_HEADS =
      WeightMapping.Options.defaults().withHeads(4);

  @Test
  void importFineTuneExportServeThroughTheApi(@TempDir Path dir) throws IOException {
    TrainedModel pretrained =
        Pretrained.load(UpstreamFixture.TIMM_VIT_TOKEN.pth(), Source.TIMM, FOUR_HEADS);
    assertEquals("timm", pretrained.checkpoint().info().get("vitmae.import.source"));
    // Saved, it reads back as an ordinary ViT checkpoint.
    pretrained.save(dir.resolve("imported.zip"));
    Checkpoint reread = Checkpoint.read(dir.resolve("imported.zip"));
    assertEquals("vit", reread.kind());
    assertEquals(pretrained.checkpoint().params().keySet(), reread.params().keySet());

    FloatImages images = images(24, 32, 3);
    TrainedModel tuned =
        Training.fineTune(pretrained, 3).epochs(1).batchSize(8).lr(1e-3).fit(images);
    assertEquals(3, tuned.checkpoint().progress().step());
    String w = "encoder/transformer/block1/attn/qkv/W";
    assertFalse(
        Arrays.equals(
            pretrained.checkpoint().params().get(w).data(),
            tuned.checkpoint().params().get(w).data()),
        "fine-tuning moved the imported encoder");

    tuned.exportOnnx(dir.resolve("onnx"));
    Parity.Report parity = tuned.parity(dir.resolve("onnx"), images, 8, 1e-5);
    assertTrue(parity.worst() <= 1e-5, parity.toString());
    assertEquals(3, parity.rows().size(), "encoder tokens, embedding and classifier logits");
  }

  @Test
  void importFineTuneExportServeOnTheCommandLine(@TempDir Path dir) throws IOException {
    Path data = dir.resolve("photos");
    writeFolder(data, 48);
    Path imported = dir.resolve("imported.zip");
    // The 32-px model at 48 px: its 4x4 position table resampled to 6x6.
    String out =
        vitmae(
            "import",
            "--from",
            "timm",
            "--weights",
            UpstreamFixture.TIMM_VIT_TOKEN.safetensors().toString(),
            "--heads",
            "4",
            "--image-size",
            "48",
            "--out",
            imported.toString());
    assertTrue(out.contains("resampled from 4x4 to 6x6"), out);
    assertTrue(out.contains("heads: 4 (given)"), out);

    String folder = "--data-dir=" + data;
    Path run = dir.resolve("run");
    out =
        vitmae(
            "train",
            "vit",
            "--dataset",
            "folder",
            folder,
            "--image-size",
            "48",
            "--init-encoder",
            imported.toString(),
            "--out",
            run.toString(),
            "--epochs",
            "1",
            "--batch-size",
            "8",
            "--lr",
            "1e-3",
            "--no-health");
    assertTrue(out.contains("encoder initialized from"), out);
    Checkpoint tuned = Checkpoint.read(run.resolve("checkpoint.zip"));
    assertTrue(tuned.modelJson().contains("\"patchEmbedding\":\"LINEAR\""), tuned.modelJson());
    assertTrue(tuned.modelJson().contains("\"imageSize\":48"), tuned.modelJson());

    Path onnx = dir.resolve("onnx");
    vitmae(
        "export",
        "--checkpoint",
        run.resolve("checkpoint.zip").toString(),
        "--out",
        onnx.toString());
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
    Path csv = dir.resolve("embeddings.csv");
    vitmae(
        "embed",
        "--onnx",
        onnx.resolve("encoder.onnx").toString(),
        "--images",
        data.resolve("test").toString(),
        "--out",
        csv.toString());
    assertEquals(1 + 6, Files.readAllLines(csv).size(), "a header and one line per test image");
    out =
        vitmae("eval", "probe", "--checkpoint", imported.toString(), "--dataset", "folder", folder);
    assertTrue(out.toLowerCase().contains("accuracy"), out);
  }

  @Test
  void importRefusesWeightsOfAnotherSchemeNamingWhatItFound(@TempDir Path dir) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.run(
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            "import",
            "--from",
            "timm",
            "--weights",
            UpstreamFixture.IJEPA.pth().toString(),
            "--out",
            dir.resolve("x.zip").toString());
    assertEquals(1, code, out.toString() + err);
    assertTrue(
        err.toString().contains("no timm patch embedding 'patch_embed.proj.weight'"),
        err.toString());
    assertTrue(err.toString().contains("[encoder, predictor, target_encoder"), err.toString());
    assertFalse(Files.exists(dir.resolve("x.zip")));
  }

  /** Runs the command line; fails with its output unless it exits 0. */
  private static String vitmae(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    assertEquals(0, code, String.join(" ", args) + "\n" + out + err);
    return out.toString();
  }

  /** {@code count} seeded RGB images in [0, 1) with three classes. */
  private static FloatImages images(int count, int size, int channels) {
    SplittableRandom rng = new SplittableRandom(5);
    float[] pixels = new float[count * channels * size * size];
    for (int i = 0; i < pixels.length; i++) pixels[i] = (float) rng.nextDouble();
    int[] labels = new int[count];
    for (int i = 0; i < count; i++) labels[i] = i % 3;
    return FloatImages.of(pixels, channels, size).withLabels(labels, 3);
  }

  /** DIR/train/<class>/ (8 images each) and DIR/test/<class>/ (2 each) of 3 coloured classes. */
  private static void writeFolder(Path dir, int size) throws IOException {
    SplittableRandom rng = new SplittableRandom(9);
    int[] base = {0xc04040, 0x40c040, 0x4040c0};
    for (String split : new String[] {"train", "test"}) {
      for (int c = 0; c < 3; c++) {
        Path folder = Files.createDirectories(dir.resolve(split).resolve("class" + c));
        for (int i = 0; i < (split.equals("train") ? 8 : 2); i++) {
          BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
          for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) img.setRGB(x, y, base[c] ^ rng.nextInt(0x3f3f3f));
          }
          ImageIO.write(img, "png", folder.resolve(i + ".png").toFile());
        }
      }
    }
  }
}
