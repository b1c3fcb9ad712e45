package dev.vitmae.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.vitmae.api.TrainedModel;
import dev.vitmae.api.Training;
import dev.vitmae.datasets.ImageFolder;
import dev.vitmae.datasets.ImageSource;
import dev.vitmae.graph.config.Pooling;
import dev.vitmae.graph.config.ViTConfig;
import dev.vitmae.images.Preprocessing;
import dev.vitmae.runtime.ModelOptions;
import dev.vitmae.runtime.VitModel;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The library records what the training data was, whoever drives the training: a classifier trained
 * through the API alone ({@code Training.fit}) on an image folder of PNG and JPEG files exports
 * with the folder's preprocessing and class names, and the runtime serves image files of another
 * size and shape with exactly that preprocessing.
 */
class FolderProvenanceTest {
  static final int SIZE = 16;

  /** Not the default (shorter side + centre crop on white): only the recorded one gives these. */
  static final Preprocessing TRAINED =
      Preprocessing.of(SIZE, 3).withResize(Preprocessing.Resize.STRETCH).withBackground(0x204060);

  @Test
  void aModelTrainedOnAFolderServesFilesOfAnotherSizeAsItWasTrained(@TempDir Path tmp)
      throws IOException {
    Path data = tmp.resolve("data");
    SplittableRandom random = new SplittableRandom(7);
    for (String name : List.of("circles", "squares")) {
      for (int i = 0; i < 12; i++) {
        String format = i % 2 == 0 ? "png" : "jpg";
        write(image(24, 24, name.equals("circles"), random), data.resolve(name), i, format);
      }
    }
    ImageSource train =
        ImageFolder.builder(data)
            .imageSize(SIZE)
            .channels(3)
            .resize(TRAINED.resize())
            .background(TRAINED.background())
            .build()
            .train();
    ViTConfig vit =
        ViTConfig.builder()
            .imageSize(SIZE)
            .patchSize(4)
            .channels(3)
            .dim(16)
            .heads(2)
            .dimHead(8)
            .mlpDim(16)
            .numClasses(2)
            .pool(Pooling.MEAN)
            .build();
    TrainedModel run = Training.of(vit).epochs(1).batchSize(8).lr(1e-3).fit(train);
    assertEquals(TRAINED, Preprocessing.fromMetadata(run.checkpoint().info()));
    run.exportOnnx(tmp.resolve("onnx"));

    // Served files: wider than tall, and of another size than the training files.
    Path served = tmp.resolve("served");
    List<Path> files =
        List.of(
            write(image(40, 26, true, random), served, 0, "png"),
            write(image(40, 26, false, random), served, 1, "jpg"));
    try (VitModel classifier =
        VitModel.open(tmp.resolve("onnx/classifier.onnx"), ModelOptions.defaults())) {
      assertEquals(List.of("circles", "squares"), classifier.info().classNames());
      assertEquals(List.of("circles", "squares"), classifier.classifier().classNames());
      assertEquals(TRAINED, classifier.preprocessing());
      for (Path file : files) {
        BufferedImage decoded = TRAINED.decoder().read(file);
        float[] expected = TRAINED.apply(decoded);
        float[] byDefault = Preprocessing.of(SIZE, 3).apply(decoded);
        assertFalse(
            java.util.Arrays.equals(expected, byDefault),
            "the recorded preprocessing differs from the default on " + file);
        assertArrayEquals(expected, classifier.pixels(file), 0f, file.toString());
        // Serving the file equals serving its pixels resized as the training images were.
        assertArrayEquals(
            classifier.classifier().classify(expected), classifier.classifier().classify(file), 0f);
      }
    }
  }

  /** A centred disc or square on a random background, {@code w × h} RGB. */
  static BufferedImage image(int w, int h, boolean circle, SplittableRandom random) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    int bg = random.nextInt(0x1000000);
    int fg = random.nextInt(0x1000000);
    double r = Math.min(w, h) * (0.2 + 0.2 * random.nextDouble());
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double dx = x - w / 2.0;
        double dy = y - h / 2.0;
        boolean inside = circle ? dx * dx + dy * dy < r * r : Math.abs(dx) < r && Math.abs(dy) < r;
        img.setRGB(x, y, inside ? fg : bg);
      }
    }
    return img;
  }

  static Path write(BufferedImage img, Path dir, int index, String format) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve(String.format(Locale.ROOT, "%03d.%s", index, format));
    if (!ImageIO.write(img, format, file.toFile())) throw new IOException("no writer: " + format);
    return file;
  }
}
