package dev.vitmae.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vitmae.datasets.ImageDataset;
import dev.vitmae.datasets.ImageFolder;
import dev.vitmae.datasets.ImageSource;
import dev.vitmae.datasets.SyntheticDigits;
import dev.vitmae.graph.config.MaeConfig;
import dev.vitmae.graph.config.TrainConfig;
import dev.vitmae.graph.train.Checkpoint;
import dev.vitmae.graph.train.Listeners;
import dev.vitmae.graph.train.MaeTask;
import dev.vitmae.graph.train.Trainer;
import dev.vitmae.images.Augmentation;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training from image files equals training from the bytes they hold, and an augmented folder run
 * resumes bit for bit.
 */
class FolderTrainingTest {
  static final MaeConfig MAE =
      MaeConfig.builder()
          .dim(16)
          .heads(2)
          .dimHead(8)
          .mlpDim(16)
          .decoderDim(16)
          .decoderHeads(2)
          .decoderDimHead(8)
          .decoderMlpDim(32)
          .build();
  static final TrainConfig TRAIN =
      TrainConfig.builder().epochs(2).batchSize(16).lr(1e-3).microBatchSize(0).seed(3).build();

  /** The images of {@code data} as gray PNGs named in index order in a flat folder. */
  static Path asPngFolder(ImageDataset data, Path dir) throws IOException {
    Files.createDirectories(dir);
    for (int i = 0; i < data.count(); i++) {
      BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
      float[] px = data.image(i);
      for (int p = 0; p < px.length; p++) {
        img.getRaster().setSample(p % 28, p / 28, 0, Math.round(px[p] * 255));
      }
      ImageIO.write(img, "png", dir.resolve(String.format(Locale.ROOT, "%05d.png", i)).toFile());
    }
    return dir;
  }

  static ImageSource folder(Path dir, Augmentation augmentation) throws IOException {
    return ImageFolder.builder(dir).imageSize(28).channels(1).augment(augmentation).build().train();
  }

  @Test
  void aPngFolderTrainsExactlyAsTheBytesItHolds(@TempDir Path tmp) throws IOException {
    ImageDataset bytes = SyntheticDigits.generate("digits", 48, 5);
    ImageSource files = folder(asPngFolder(bytes, tmp.resolve("png")), null);
    assertEquals(bytes.count(), files.count());
    Trainer fromBytes = new Trainer(new MaeTask(MAE), TRAIN);
    fromBytes.fit(bytes);
    Trainer fromFiles = new Trainer(new MaeTask(MAE), TRAIN).prefetch(2, 2);
    fromFiles.fit(files);
    assertSameWeights(fromBytes.checkpoint(), fromFiles.checkpoint());
  }

  @Test
  void anAugmentedFolderRunResumesBitForBit(@TempDir Path tmp) throws IOException {
    Path dir = asPngFolder(SyntheticDigits.generate("digits", 32, 6), tmp.resolve("png"));
    ImageSource files = folder(dir, Augmentation.mae());
    Trainer straight = new Trainer(new MaeTask(MAE), TRAIN).prefetch(2, 2);
    straight.fit(files);

    Path ckpt = tmp.resolve("checkpoint.zip");
    new Trainer(new MaeTask(MAE), TRAIN).fit(files, 1, List.of(Listeners.checkpoint(ckpt)));
    Trainer resumed = Trainer.resume(new MaeTask(MAE), TRAIN, Checkpoint.read(ckpt)).prefetch(2, 2);
    resumed.fit(folder(dir, Augmentation.mae()));
    assertSameWeights(straight.checkpoint(), resumed.checkpoint());
  }

  private static void assertSameWeights(Checkpoint a, Checkpoint b) {
    assertEquals(a.progress().step(), b.progress().step());
    for (String name : a.params().keySet()) {
      assertArrayEquals(a.params().get(name).data(), b.params().get(name).data(), 0f, name);
    }
  }
}
