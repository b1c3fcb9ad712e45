package dev.vitmae.graph.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vitmae.graph.config.MaeConfig;
import org.junit.jupiter.api.Test;

class FlopsTest {
  @Test
  void referenceMaeCountedByHand() {
    long n = 16;
    long patchEmbed = 2 * n * 49 * 128;
    long encoder =
        2 * n * 128 * 1536 + 2 * 8 * (2 * n * n * 64) + 2 * n * 512 * 128 + 2 * n * 128 * 128 * 2;
    long encToDec = 2 * n * 128 * 512;
    long decoder =
        2 * n * 512 * 1536 + 2 * 8 * (2 * n * n * 64) + 2 * n * 512 * 512 + 2 * n * 512 * 2048 * 2;
    long toPixels = 2 * n * 512 * 49;
    long forward = patchEmbed + encoder + encToDec + decoder + toPixels;
    assertEquals(forward, Flops.maeForward(MaeConfig.reference()));
    // ~342.9 MFLOP per image per training step.
    assertEquals(342, Flops.trainStep(forward) / 1_000_000);
  }
}
