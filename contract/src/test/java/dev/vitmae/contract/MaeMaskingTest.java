package dev.vitmae.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class MaeMaskingTest {
  @Test
  void numMaskedTruncatesLikeTheReference() {
    assertEquals(12, MaeMasking.numMasked(16, 0.75));
    assertEquals(147, MaeMasking.numMasked(196, 0.75));
    assertEquals(11, MaeMasking.numMasked(16, 0.7));
    assertThrows(IllegalArgumentException.class, () -> MaeMasking.numMasked(16, 1.0));
  }

  @Test
  void maskedAndVisiblePartitionThePatches() {
    MaeMask mask = MaeMasking.sample(5, 16, 0.75, 1);
    assertEquals(5, mask.batch());
    for (int b = 0; b < 5; b++) {
      assertEquals(12, mask.masked()[b].length);
      assertEquals(4, mask.visible()[b].length);
      int[] all =
          IntStream.concat(Arrays.stream(mask.masked()[b]), Arrays.stream(mask.visible()[b]))
              .sorted()
              .toArray();
      assertArrayEquals(IntStream.range(0, 16).toArray(), all);
    }
    float[] floats = MaeMasking.toFloatMask(mask, 16);
    assertEquals(5 * 16, floats.length);
    assertEquals(5 * 12, (int) IntStream.range(0, floats.length).mapToDouble(i -> floats[i]).sum());
    for (int index : mask.masked()[2]) {
      assertEquals(1f, floats[2 * 16 + index]);
    }
  }

  @Test
  void sameSeedSameMasksOtherSeedOtherMasks() {
    MaeMask a = MaeMasking.sample(4, 49, 0.75, 11);
    MaeMask b = MaeMasking.sample(4, 49, 0.75, 11);
    assertArrayEquals(a.masked(), b.masked());
    assertArrayEquals(a.visible(), b.visible());
    assertFalse(Arrays.deepEquals(a.masked(), MaeMasking.sample(4, 49, 0.75, 12).masked()));
    // Samples within a batch differ too.
    assertFalse(Arrays.equals(a.masked()[0], a.masked()[1]));
  }

  /**
   * The single-sample draw is the batch draw's first row, and the same as the argsort of {@code
   * SplittableRandom.doubles(n)} (what Spark's reconstructor drew before it used this class), so
   * its seeded masks did not change.
   */
  @Test
  void theSingleSampleDrawIsTheArgsortOfTheSameNoise() {
    for (long seed = 0; seed < 50; seed++) {
      float[] one = MaeMasking.floatMask(16, 0.25, new java.util.SplittableRandom(seed));
      float[] row = MaeMasking.toFloatMask(MaeMasking.sample(1, 16, 0.25, seed), 16);
      assertArrayEquals(row, one);
      double[] noise = new java.util.SplittableRandom(seed).doubles(16).toArray();
      float[] streamed = new float[16];
      IntStream.range(0, 16)
          .boxed()
          .sorted((a, b) -> Double.compare(noise[a], noise[b]))
          .limit(4)
          .forEach(p -> streamed[p] = 1f);
      assertArrayEquals(streamed, one, "seed " + seed);
    }
  }
}
