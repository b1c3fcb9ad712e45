package dev.vitmae.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Fashion-MNIST (when installed) written as a PNG class-folder tree gives exactly the
 * IDX path's floats and labels through {@link ImageFolder}.
 */
class FashionMnistAsPngTest {
  @TempDir Path dir;

  @Test
  void pngFoldersWrittenFromTheIdxFilesGiveTheIdxPixels() throws Exception {
    Assumptions.assumeTrue(
        Files.isDirectory(FashionMnist.DEFAULT_DIR),
        "Fashion-MNIST not installed at " + FashionMnist.DEFAULT_DIR + "; skipping");
    DatasetSplits idx = FashionMnist.load(FashionMnist.DEFAULT_DIR);
    ImageDataset train = (ImageDataset) idx.train();
    ImageDataset test = (ImageDataset) idx.requireTest();
    write(train, 300, dir.resolve("train"));
    write(test, 100, dir.resolve("test"));
    DatasetSplits png = ImageFolder.builder(dir).imageSize(28).channels(1).build();
    check(train, (ImageFolderSource) png.train());
    check(test, (ImageFolderSource) png.requireTest());
  }

  /** The first {@code n} images as {@code root/<label>/<index>.png}. */
  private static void write(ImageDataset data, int n, Path root) throws Exception {
    for (int i = 0; i < n; i++) {
      TestFiles.write(
          root.resolve(data.label(i) + "/" + i + ".png"),
          TestFiles.gray(28, 28, data.pixels(), i * 784),
          "png");
    }
  }

  private static void check(ImageDataset idx, ImageFolderSource folder) {
    for (int k = 0; k < folder.count(); k++) {
      int i = Integer.parseInt(folder.file(k).getFileName().toString().replace(".png", ""));
      assertArrayEquals(idx.image(i), folder.image(k), folder.file(k).toString());
      assertEquals(idx.label(i), Integer.parseInt(folder.classNames().get(folder.label(k))));
    }
  }
}
