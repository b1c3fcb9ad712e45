package dev.vitmae.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SyntheticDigitsTest {
  @Test
  void sameSeedGivesIdenticalBytesAndOtherSeedsDiffer() {
    ImageDataset a = SyntheticDigits.generate("a", 200, 5);
    ImageDataset b = SyntheticDigits.generate("b", 200, 5);
    assertArrayEquals(a.pixels(), b.pixels());
    assertArrayEquals(a.labels(), b.labels());
    assertFalse(Arrays.equals(a.pixels(), SyntheticDigits.generate("c", 200, 6).pixels()));
    assertEquals(28, a.imageSize());
    assertEquals(28, a.imageSize());
  }

  @Test
  void allTenLabelsOccurBalanced() {
    int[] counts = new int[10];
    ImageDataset data = SyntheticDigits.generate("d", 105, 1);
    for (int i = 0; i < data.count(); i++) {
      counts[data.label(i)]++;
    }
    for (int count : counts) {
      assertTrue(count == 10 || count == 11, Arrays.toString(counts));
    }
  }

  /** A nearest-class-mean classifier must already separate the classes well: they are learnable. */
  @Test
  void classesAreDistinctPatterns() {
    ImageDataset train = SyntheticDigits.generate("train", 1000, 1);
    ImageDataset test = SyntheticDigits.generate("test", 300, 2);
    double[][] means = new double[10][784];
    int[] counts = new int[10];
    for (int i = 0; i < train.count(); i++) {
      float[] image = train.image(i);
      counts[train.label(i)]++;
      for (int j = 0; j < 784; j++) {
        means[train.label(i)][j] += image[j];
      }
    }
    int correct = 0;
    for (int i = 0; i < test.count(); i++) {
      float[] image = test.image(i);
      int best = -1;
      double bestDistance = Double.MAX_VALUE;
      for (int c = 0; c < 10; c++) {
        double distance = 0;
        for (int j = 0; j < 784; j++) {
          double diff = image[j] - means[c][j] / counts[c];
          distance += diff * diff;
        }
        if (distance < bestDistance) {
          bestDistance = distance;
          best = c;
        }
      }
      correct += best == test.label(i) ? 1 : 0;
      float ink = 0;
      for (float v : image) {
        ink += v;
      }
      assertTrue(ink > 10, "image " + i + " has almost no ink: " + ink);
    }
    assertTrue(
        correct > 0.6 * test.count(), "nearest-mean accuracy " + correct + "/" + test.count());
  }
}
