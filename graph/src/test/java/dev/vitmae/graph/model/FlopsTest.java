package dev.vitmae.graph.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitmae.graph.config.MaeConfig;
import org.junit.jupiter.api.Test;

class FlopsTest {
  /** The reference MAE: 16 patches of 7×7, 25% masked, so the encoder sees 12 tokens. */
  @Test
  void referenceMaeCountedByHand() {
    long n = 16;
    long v = 12;
    long patchEmbed = 2 * n * 49 * 128;
    long gather = 2 * v * n * 128;
    long encoder =
        2 * v * 128 * 1536 + 2 * 8 * (2 * v * v * 64) + 2 * v * 512 * 128 + 2 * v * 128 * 128 * 2;
    long encToDec = 2 * v * 128 * 512;
    long scatter = 2 * n * v * 512;
    long decoder =
        2 * n * 512 * 1536 + 2 * 8 * (2 * n * n * 64) + 2 * n * 512 * 512 + 2 * n * 512 * 2048 * 2;
    long toPixels = 2 * n * 512 * 49;
    long forward = patchEmbed + gather + encoder + encToDec + scatter + decoder + toPixels;
    assertEquals(forward, Flops.maeForward(MaeConfig.reference()));
    // ~334.1 MFLOP per image per training step (342.9 if the encoder saw all 16).
    assertEquals(334, Flops.trainStep(forward) / 1_000_000);
  }

  /** The small preset masks 36 of 49 patches: the encoder sees 13 tokens. */
  @Test
  void smallMaeEncodesTheVisibleQuarter() {
    MaeConfig small = MaeConfig.small();
    MaeConfig allVisible = small.toBuilder().maskingRatio(0.03).build();
    long n = 49;
    assertEquals(13, n - small.numMasked());
    assertEquals(48, n - allVisible.numMasked());
    long encoderPerToken = 2 * 128 * (3 * 128) + 2 * 128 * 128 + 2 * 2 * 128 * 256;
    long difference = Flops.maeForward(allVisible) - Flops.maeForward(small);
    // 35 more tokens through 4 blocks, plus the larger gather, attention, projection and scatter.
    assertTrue(difference > 4 * 35 * encoderPerToken, "difference " + difference);
  }
}
