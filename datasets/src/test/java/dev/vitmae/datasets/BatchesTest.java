package dev.vitmae.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchesTest {
  private static int[] flatten(List<Batches.Batch> batches) {
    return batches.stream().flatMapToInt(b -> Arrays.stream(b.indices())).toArray();
  }

  @Test
  void everyIndexOccursExactlyOnceAndTheLastBatchIsKept() {
    List<Batches.Batch> batches = Batches.epoch(103, 10, 1, 0, false);
    assertEquals(11, batches.size());
    assertEquals(3, batches.get(10).size());
    int[] all = flatten(batches);
    Arrays.sort(all);
    for (int i = 0; i < 103; i++) {
      assertEquals(i, all[i]);
    }
    assertEquals(11, Batches.batchesPerEpoch(103, 10, false));
  }

  @Test
  void dropLastDropsThePartialBatch() {
    List<Batches.Batch> batches = Batches.epoch(103, 10, 1, 0, true);
    assertEquals(10, batches.size());
    assertTrue(batches.stream().allMatch(b -> b.size() == 10));
    assertEquals(10, Batches.batchesPerEpoch(103, 10, true));
  }

  @Test
  void orderIsAPureFunctionOfSeedAndEpoch() {
    int[] a = flatten(Batches.epoch(50, 8, 9, 3, false));
    assertArrayEquals(a, flatten(Batches.epoch(50, 8, 9, 3, false)));
    assertFalse(Arrays.equals(a, flatten(Batches.epoch(50, 8, 9, 4, false))));
    assertFalse(Arrays.equals(a, flatten(Batches.epoch(50, 8, 10, 3, false))));
    assertArrayEquals(a, Batches.permutation(50, 9, 3));
  }
}
