package dev.vitmae.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Every native tensor and result is closed: a long loop of runs keeps the process size flat. The
 * module's surefire JVM has a fixed, pre-touched heap, so RSS moves only with native memory;
 * leaving one tensor and one result unclosed per run grows it by about 80 MB over these 100,000
 * runs.
 */
class MemoryTest {

  static final int CALLS = 100_000;
  static final long ALLOWED_GROWTH_KB = 16 * 1024;

  @Test
  void hundredThousandClassifyCallsKeepRssFlat() throws IOException {
    float[] image = Fixtures.images(1, 31);
    try (VitModel model = Fixtures.open(Fixtures.CLASSIFIER)) {
      for (int i = 0; i < 5_000; i++)
        model.classifier().classify(image); // warm-up: JIT, ORT arenas, heap
      long before = rssKb();
      long start = System.nanoTime();
      float checksum = 0;
      for (int i = 0; i < CALLS; i++) checksum += model.classifier().classify(image)[i % 10];
      double seconds = (System.nanoTime() - start) / 1e9;
      long after = rssKb();
      System.out.printf(
          "%d classify calls in %.1f s (%.0f µs/call), RSS %d MB -> %d MB (%+d KB), checksum %.3f%n",
          CALLS,
          seconds,
          seconds * 1e6 / CALLS,
          before / 1024,
          after / 1024,
          after - before,
          checksum);
      assertTrue(
          after - before < ALLOWED_GROWTH_KB,
          "RSS grew " + (after - before) + " KB over " + CALLS + " calls");
    }
  }

  static long rssKb() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }
    throw new IllegalStateException("no VmRSS in /proc/self/status");
  }
}
