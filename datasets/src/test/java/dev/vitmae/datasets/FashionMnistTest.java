package dev.vitmae.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {
  @TempDir Path dir;

  @Test
  void realFashionMnistLoadsWhenInstalled() throws IOException {
    Assumptions.assumeTrue(
        Files.isDirectory(FashionMnist.DEFAULT_DIR),
        "Fashion-MNIST not installed at "
            + FashionMnist.DEFAULT_DIR
            + " (sudo apt-get install dataset-fashion-mnist); skipping the real-data check");
    DatasetSplits splits = FashionMnist.load(FashionMnist.DEFAULT_DIR);
    assertEquals(60_000, splits.train().count());
    assertEquals(10_000, splits.requireTest().count());
    assertEquals(28, splits.train().imageSize());
    assertEquals(28, splits.train().imageSize());
    assertEquals(1, splits.train().channels());
    assertEquals(9, splits.train().label(0));
    assertEquals(9, splits.requireTest().label(0));
    assertEquals("fashion-mnist-train", splits.train().name());
  }

  @Test
  void missingDirectorySaysHowToInstall() {
    NoSuchFileException e =
        assertThrows(NoSuchFileException.class, () -> FashionMnist.load(dir.resolve("nowhere")));
    assertTrue(e.getMessage().contains("nowhere"), e.getMessage());
    assertTrue(
        e.getMessage().contains("sudo apt-get install dataset-fashion-mnist"), e.getMessage());
    assertTrue(e.getMessage().contains("VITMAE_FASHION_MNIST_DIR"), e.getMessage());
    assertFalse(
        e.getMessage().contains("--"), "the library names no CLI option: " + e.getMessage());
  }

  @Test
  void missingFileIsNamed() throws IOException {
    writeTinySplits(dir, true);
    Files.delete(dir.resolve("t10k-labels-idx1-ubyte.gz"));
    NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> FashionMnist.load(dir));
    assertTrue(e.getMessage().contains("t10k-labels-idx1-ubyte[.gz] is missing"), e.getMessage());
    NoSuchFileException mnist = assertThrows(NoSuchFileException.class, () -> Mnist.load(dir));
    assertTrue(mnist.getMessage().contains("MnistNpmImporter"), mnist.getMessage());
    assertFalse(mnist.getMessage().contains("vitmae data"), mnist.getMessage());
    assertTrue(mnist.getMessage().contains("VITMAE_MNIST_DIR"), mnist.getMessage());
  }

  @Test
  void rawAndGzippedNamesBothLoad() throws IOException {
    for (boolean gzip : new boolean[] {false, true}) {
      Path sub = dir.resolve("gzip-" + gzip);
      writeTinySplits(sub, gzip);
      DatasetSplits splits = FashionMnist.load(sub);
      assertEquals(3, splits.train().count());
      assertEquals(2, splits.requireTest().count());
      assertEquals(4, splits.requireTest().label(1));
    }
  }

  @Test
  void directoryIsOptionThenEnvironmentThenDefault() {
    Path option = Path.of("/opt/x");
    Path fallback = Path.of("/default");
    Map<String, String> env = Map.of("E", "/from/env");
    assertEquals(option, IdxFiles.resolveDir(option, "E", env, fallback));
    assertEquals(Path.of("/from/env"), IdxFiles.resolveDir(null, "E", env, fallback));
    assertEquals(fallback, IdxFiles.resolveDir(null, "E", Map.of("E", " "), fallback));
    assertEquals(fallback, IdxFiles.resolveDir(null, "E", Map.of(), fallback));
    assertEquals(option, FashionMnist.resolveDir(option));
    assertEquals(Path.of("data/mnist"), Mnist.DEFAULT_DIR);
  }

  /** Three 2x2 train images and two test images under the standard names. */
  static void writeTinySplits(Path dir, boolean gzip) throws IOException {
    String ext = gzip ? ".gz" : "";
    Idx.writeImages(
        dir.resolve("train-images-idx3-ubyte" + ext), new ImageArray(3, 2, 2, new byte[12]), gzip);
    Idx.writeLabels(dir.resolve("train-labels-idx1-ubyte" + ext), new byte[] {1, 2, 3}, gzip);
    Idx.writeImages(
        dir.resolve("t10k-images-idx3-ubyte" + ext), new ImageArray(2, 2, 2, new byte[8]), gzip);
    Idx.writeLabels(dir.resolve("t10k-labels-idx1-ubyte" + ext), new byte[] {5, 4}, gzip);
  }
}
