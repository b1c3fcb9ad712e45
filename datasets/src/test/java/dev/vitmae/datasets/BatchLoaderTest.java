package dev.vitmae.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchLoaderTest {
  @TempDir Path dir;

  private static List<int[]> batches(int count, int size) {
    List<int[]> out = new ArrayList<>();
    for (int from = 0; from < count; from += size) {
      int[] b = new int[Math.min(size, count - from)];
      for (int k = 0; k < b.length; k++) b[k] = count - 1 - (from + k); // reverse order
      out.add(b);
    }
    return out;
  }

  @Test
  void deliversEveryBatchInOrderWithTheSourcesPixelsAndLabels() {
    float[] px = new float[10 * 4];
    for (int i = 0; i < px.length; i++) px[i] = i / 40f;
    int[] labels = {0, 1, 2, 0, 1, 2, 0, 1, 2, 0};
    ImageSource src = FloatImages.of(px, 1, 2).withLabels(labels, 3);
    List<int[]> plan = batches(10, 3);
    try (BatchLoader loader = BatchLoader.open(src, plan, 2, 2)) {
      for (int n = 0; n < plan.size(); n++) {
        BatchLoader.Batch b = loader.next();
        assertEquals(n, b.number());
        assertArrayEquals(plan.get(n), b.indices());
        float[] expected = new float[plan.get(n).length * 4];
        src.fill(plan.get(n), expected, 0);
        assertArrayEquals(expected, b.images());
        assertArrayEquals(src.labels(plan.get(n)), b.labels());
      }
      assertFalse(loader.hasNext());
    }
  }

  @Test
  void closeWhileBatchesAreStillBeingFilledReturnsAtOnce() {
    CountDownLatch never = new CountDownLatch(1);
    ImageSource slow =
        new ImageSource() {
          public String name() {
            return "slow";
          }

          public int count() {
            return 100;
          }

          public int channels() {
            return 1;
          }

          public int imageSize() {
            return 1;
          }

          public void fill(int[] indices, float[] dst, int offset) {
            try {
              never.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        };
    assertTimeoutPreemptively(
        Duration.ofSeconds(5),
        () -> {
          BatchLoader loader = BatchLoader.open(slow, batches(100, 10), 2, 4);
          loader.close();
          loader.close();
          assertThrows(IllegalStateException.class, loader::next);
        });
  }

  @Test
  void aFailingImageReachesTheConsumerAndStopsTheLoader() {
    ImageSource failing =
        new ImageSource() {
          public String name() {
            return "failing";
          }

          public int count() {
            return 8;
          }

          public int channels() {
            return 1;
          }

          public int imageSize() {
            return 1;
          }

          public void fill(int[] indices, float[] dst, int offset) {
            for (int i : indices)
              if (i == 5) throw new ImageSourceException("failing: image 5: /x/5.png: broken");
          }
        };
    assertTimeoutPreemptively(
        Duration.ofSeconds(5),
        () -> {
          try (BatchLoader loader = BatchLoader.open(failing, batches(8, 2), 2, 3)) {
            loader.next(); // 7, 6
            ImageSourceException e = assertThrows(ImageSourceException.class, loader::next); // 5, 4
            assertEquals("batch 1: failing: image 5: /x/5.png: broken", e.getMessage());
          }
        });
  }

  /**
   * 3,000 PNGs of 80×80 RGB are 230 MB as floats: a loader over all of them runs in a JVM of 32 MB
   * heap, and the same JVM runs out of memory when told to keep every decoded image (the in-memory
   * cache, 77 MB) — so the check fails if the dataset is held whole.
   */
  @Test
  void aFolderOfManyImagesStreamsWithinASmallFixedHeap() throws Exception {
    for (int i = 0; i < 3000; i++)
      TestFiles.png(dir.resolve("c" + i % 3 + "/" + i + ".png"), 80, 80, i);
    Result streamed = fork(false);
    assertEquals(0, streamed.exit, streamed.output);
    assertTrue(streamed.output.contains("read 3000 images"), streamed.output);
    Result cached = fork(true);
    assertTrue(
        cached.exit != 0 && cached.output.contains("OutOfMemoryError"),
        "holding every image must not fit: " + cached.output);
  }

  private record Result(int exit, String output) {}

  private Result fork(boolean cache) throws Exception {
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p =
        new ProcessBuilder(
                java.toString(),
                "-Xmx32m",
                "-XX:+UseSerialGC",
                "-Djava.awt.headless=true",
                "-cp",
                cp,
                LoaderHeapMain.class.getName(),
                dir.toString(),
                Boolean.toString(cache))
            .redirectErrorStream(true)
            .start();
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("the forked loader did not finish in 180 s");
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(p.exitValue(), out.length() > 4000 ? out.substring(0, 4000) : out);
  }
}
