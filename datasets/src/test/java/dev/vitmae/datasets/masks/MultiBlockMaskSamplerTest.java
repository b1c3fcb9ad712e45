package dev.vitmae.datasets.masks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MultiBlockMaskSamplerTest {
  private static final MultiBlockConfig SMALL = MultiBlockConfig.defaultsFor(4, 4);
  private static final MultiBlockConfig IJEPA = MultiBlockConfig.defaultsFor(14, 14);

  @Test
  void defaultsFollowIjepa() {
    assertEquals(1, SMALL.minKeep());
    assertEquals(10, IJEPA.minKeep());
    assertEquals(4, IJEPA.nPred());
    assertEquals(1, IJEPA.nEnc());
    assertFalse(IJEPA.allowOverlap());
    assertEquals(2, SMALL.withNPred(2).nPred());
    assertEquals(SMALL, SMALL.withNPred(2).withNPred(SMALL.nPred()));
  }

  @Test
  void masksAreInRangeSortedStackableAndDisjoint() {
    for (MultiBlockConfig config : new MultiBlockConfig[] {SMALL, IJEPA}) {
      MultiBlockMaskSampler sampler = new MultiBlockMaskSampler(config);
      for (long seed = 0; seed < 200; seed++) {
        MultiBlockMasks masks = sampler.sample(8, seed);
        assertEquals(config.nEnc(), masks.context().length);
        assertEquals(config.nPred(), masks.target().length);
        assertTrue(masks.contextLength() >= config.minKeep(), "context " + masks.contextLength());
        for (int b = 0; b < 8; b++) {
          boolean[] targeted = new boolean[config.numPatches()];
          for (int[][] block : masks.target()) {
            checkList(config, block[b], masks.targetLength());
            block[b] = block[b].clone();
            for (int index : block[b]) {
              targeted[index] = true;
            }
          }
          for (int[][] block : masks.context()) {
            checkList(config, block[b], masks.contextLength());
            for (int index : block[b]) {
              assertFalse(
                  targeted[index], "seed " + seed + ": context patch " + index + " is a target");
            }
          }
        }
      }
    }
  }

  private static void checkList(MultiBlockConfig config, int[] list, int length) {
    assertEquals(length, list.length);
    for (int i = 0; i < list.length; i++) {
      assertTrue(list[i] >= 0 && list[i] < config.numPatches(), "index " + list[i]);
      assertTrue(i == 0 || list[i - 1] < list[i], "not ascending: " + Arrays.toString(list));
    }
  }

  @Test
  void targetsAreRectanglesWhoseAreaFollowsTheScaleRange() {
    MultiBlockConfig c = IJEPA;
    int cells = c.numPatches();
    int keepMin = (int) (cells * c.predScaleMin());
    int keepMax = (int) (cells * c.predScaleMax());
    // Rounding h and w to integers moves the area by at most 0.5 * (h + w) + 0.25.
    double side =
        Math.max(
            Math.sqrt(c.predAspectMin()) + 1 / Math.sqrt(c.predAspectMin()),
            Math.sqrt(c.predAspectMax()) + 1 / Math.sqrt(c.predAspectMax()));
    double slack = 0.5 * Math.sqrt(keepMax) * side + 0.25;
    MultiBlockMaskSampler sampler = new MultiBlockMaskSampler(c);
    for (long seed = 0; seed < 100; seed++) {
      int[] block = sampler.sample(2, seed).target()[0][1];
      int rows = block[block.length - 1] / c.gridWidth() - block[0] / c.gridWidth() + 1;
      int cols = block[block.length - 1] % c.gridWidth() - block[0] % c.gridWidth() + 1;
      assertEquals(rows * cols, block.length, "not a full rectangle: " + Arrays.toString(block));
      assertTrue(rows < c.gridHeight() && cols < c.gridWidth());
      assertTrue(
          block.length >= keepMin - slack && block.length <= keepMax + slack,
          "area "
              + block.length
              + " outside ["
              + (keepMin - slack)
              + ", "
              + (keepMax + slack)
              + "]");
    }
  }

  @Test
  void blockSizeRoundsLikePythonAndStaysInsideTheGrid() {
    // keep = int(16 * 0.2) = 3, aspect 1.5: h = round(sqrt(4.5)) = 2, w = round(sqrt(2)) = 1.
    assertEquals(
        new MultiBlockMaskSampler.BlockSize(2, 1),
        MultiBlockMaskSampler.blockSize(4, 4, 1.0, 0.15, 0.2, 0.75, 1.5));
    // keep = 16: round(sqrt(16)) = 4 is clamped to grid - 1.
    assertEquals(
        new MultiBlockMaskSampler.BlockSize(3, 3),
        MultiBlockMaskSampler.blockSize(4, 4, 1.0, 0.85, 1.0, 1.0, 1.0));
    // keep = int(16 * 0.14) = 2, aspect 1.125: round(sqrt(2.25)) = round(1.5) = 2 (half to even).
    assertEquals(2, MultiBlockMaskSampler.blockSize(4, 4, 0.5, 0.14, 0.14, 0.75, 1.5).height());
  }

  @Test
  void sameSeedSameMasksOtherSeedOtherMasks() {
    MultiBlockMaskSampler sampler = new MultiBlockMaskSampler(IJEPA);
    MultiBlockMasks a = sampler.sample(4, 5);
    MultiBlockMasks b = sampler.sample(4, 5);
    assertArrayEquals(a.context(), b.context());
    assertArrayEquals(a.target(), b.target());
    MultiBlockMasks c = sampler.sample(4, 6);
    assertFalse(
        Arrays.deepEquals(a.target(), c.target()) && Arrays.deepEquals(a.context(), c.context()));
  }

  @Test
  void raggedMasksKeepEveryContextPatchAndEqualTheCutOnesUpToTheCut() {
    MultiBlockMaskSampler sampler = new MultiBlockMaskSampler(SMALL);
    for (long seed = 0; seed < 50; seed++) {
      MultiBlockMasks cut = sampler.sample(64, seed);
      MultiBlockMasks ragged = sampler.sampleRagged(64, seed);
      assertArrayEquals(
          cut.target(), ragged.target(), "targets are never cut: one block size per batch");
      int longest = 0;
      for (int b = 0; b < 64; b++) {
        int[] full = ragged.context()[0][b];
        longest = Math.max(longest, full.length);
        assertTrue(full.length >= SMALL.minKeep());
        assertArrayEquals(cut.context()[0][b], Arrays.copyOf(full, cut.contextLength()));
        boolean[] targeted = new boolean[SMALL.numPatches()];
        for (int[][] block : ragged.target()) {
          for (int index : block[b]) {
            targeted[index] = true;
          }
        }
        for (int index : full) {
          assertFalse(targeted[index], "context patch " + index + " is a target");
        }
      }
      assertTrue(longest >= cut.contextLength());
    }
    // What the cut costs on a 4x4 grid: in a batch of 512 the shortest context decides for all.
    MultiBlockMasks big = sampler.sampleRagged(512, 1);
    double mean = Arrays.stream(big.context()[0]).mapToInt(c -> c.length).average().orElseThrow();
    assertTrue(mean > 2 * sampler.sample(512, 1).contextLength(), "mean ragged context " + mean);
  }

  @Test
  void overlapIsAllowedWhenAsked() {
    MultiBlockConfig c = IJEPA;
    MultiBlockConfig overlap =
        new MultiBlockConfig(
            14,
            14,
            c.nPred(),
            c.predScaleMin(),
            c.predScaleMax(),
            c.predAspectMin(),
            c.predAspectMax(),
            c.nEnc(),
            c.encScaleMin(),
            c.encScaleMax(),
            c.encAspectMin(),
            c.encAspectMax(),
            c.minKeep(),
            true);
    MultiBlockMasks masks = new MultiBlockMaskSampler(overlap).sample(2, 1);
    // An unconstrained 13x13 context block keeps all its 169 patches.
    assertEquals(169, masks.contextLength());
  }

  @Test
  void invalidConfigsAreRejected() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new MultiBlockConfig(1, 4, 4, 0.15, 0.2, 0.75, 1.5, 1, 0.85, 1, 1, 1, 1, false));
    IllegalArgumentException scale =
        assertThrows(
            IllegalArgumentException.class,
            () -> new MultiBlockConfig(4, 4, 4, 0.3, 0.2, 0.75, 1.5, 1, 0.85, 1, 1, 1, 1, false));
    assertTrue(scale.getMessage().contains("pred scale"), scale.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> new MultiBlockConfig(4, 4, 4, 0.15, 0.2, 0.75, 1.5, 1, 0.85, 1, 1, 1, 0, false));
    // Every 3x3 block of a 4x4 grid holds the centre 2x2, so no 3x3 context keeps 8 patches outside
    // 3x3 targets.
    MultiBlockConfig impossible =
        new MultiBlockConfig(4, 4, 4, 0.6, 0.6, 1, 1, 1, 0.6, 0.6, 1, 1, 8, false);
    assertThrows(
        IllegalStateException.class, () -> new MultiBlockMaskSampler(impossible).sample(2, 0));
  }
}
