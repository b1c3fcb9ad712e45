package dev.vitmae.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistNpmImporterTest {
  @TempDir Path dir;

  /** Three images per digit; every pixel of digit d is d/10, written in varied number syntax. */
  private void writeDigits() throws IOException {
    for (int d = 0; d < 10; d++) {
      StringBuilder json = new StringBuilder("{ \"data\" :\n [");
      for (int i = 0; i < 3 * 784; i++) {
        json.append(i == 0 ? "" : i % 2 == 0 ? ", " : ",")
            .append(d == 0 ? "0" : d == 10 ? "1" : (d / 10.0) + "");
      }
      json.append("]}\n");
      Files.writeString(dir.resolve(d + ".json"), json);
    }
  }

  @Test
  void importsLabelsAndPixelsWithASeededSplit() throws IOException {
    writeDigits();
    DatasetSplits splits = MnistNpmImporter.importDigits(dir, 42, 1.0 / 6);
    assertEquals(25, splits.train().count());
    assertEquals(5, splits.requireTest().count());
    for (ImageSource data : new ImageSource[] {splits.train(), splits.requireTest()}) {
      for (int i = 0; i < data.count(); i++) {
        int expected = (int) Math.round(data.label(i) / 10.0 * 255);
        assertEquals(expected / 255f, data.image(i)[500], "image " + i + " of " + data.name());
      }
    }
    DatasetSplits again = MnistNpmImporter.importDigits(dir, 42, 1.0 / 6);
    assertArrayEquals(splits.train().labels(), again.train().labels());
    DatasetSplits other = MnistNpmImporter.importDigits(dir, 7, 1.0 / 6);
    assertTrue(!java.util.Arrays.equals(splits.train().labels(), other.train().labels()));
  }

  @Test
  void writeIdxRoundTripsThroughTheMnistLoader() throws IOException {
    writeDigits();
    DatasetSplits splits = MnistNpmImporter.importDigits(dir, 42, 0.2);
    Path out = dir.resolve("idx");
    MnistNpmImporter.writeIdx(splits, out);
    assertTrue(Files.exists(out.resolve("train-images-idx3-ubyte.gz")));
    DatasetSplits read = Mnist.load(out);
    for (int i = 0; i < splits.train().count(); i++) {
      assertArrayEquals(splits.train().image(i), read.train().image(i));
    }
    assertArrayEquals(splits.requireTest().labels(), read.requireTest().labels());
    assertEquals(6, read.requireTest().count());
  }

  @Test
  void malformedJsonNamesFileAndOffset() throws IOException {
    writeDigits();
    Path three = dir.resolve("3.json");
    Files.writeString(three, "{\"data\": [0, 0.5 1]}");
    JsonFormatException e =
        assertThrows(JsonFormatException.class, () -> MnistNpmImporter.importDigits(dir, 1, 0.2));
    assertEquals(three, e.file());
    assertEquals(17, e.charOffset());
    assertTrue(e.getMessage().contains("expected ',' or ']'"), e.getMessage());

    Files.writeString(three, "{\"data\": [0, .5]}");
    e = assertThrows(JsonFormatException.class, () -> MnistNpmImporter.importDigits(dir, 1, 0.2));
    assertEquals(13, e.charOffset());
    assertTrue(e.getMessage().contains("expected a number"), e.getMessage());

    Files.writeString(three, "{\"pixels\": [0]}");
    e = assertThrows(JsonFormatException.class, () -> MnistNpmImporter.importDigits(dir, 1, 0.2));
    assertTrue(e.getMessage().contains("expected member \"data\""), e.getMessage());

    Files.writeString(three, "{\"data\": [0, 1]");
    e = assertThrows(JsonFormatException.class, () -> MnistNpmImporter.importDigits(dir, 1, 0.2));
    assertTrue(e.getMessage().contains("end of input"), e.getMessage());
  }

  @Test
  void lengthMustBeAMultipleOf784() throws IOException {
    writeDigits();
    Files.writeString(dir.resolve("5.json"), "{\"data\": [0, 1, 0.5]}");
    JsonFormatException e =
        assertThrows(JsonFormatException.class, () -> MnistNpmImporter.importDigits(dir, 1, 0.2));
    assertTrue(
        e.getMessage().contains("3 numbers") && e.getMessage().contains("784"), e.getMessage());
  }

  @Test
  void missingDigitFileIsNamed() throws IOException {
    writeDigits();
    Files.delete(dir.resolve("9.json"));
    NoSuchFileException e =
        assertThrows(NoSuchFileException.class, () -> MnistNpmImporter.importDigits(dir, 1, 0.2));
    assertTrue(e.getMessage().contains("9.json"), e.getMessage());
  }
}
