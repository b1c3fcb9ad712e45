package dev.vitmae.runtime;

import static dev.vitmae.runtime.Fixtures.PATCHES;
import static dev.vitmae.runtime.Fixtures.PIXELS;
import static dev.vitmae.runtime.ModelInfoTest.assertContains;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitmae.contract.ModelKind;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConcurrencyTest {

  @Test
  void sixteenThreadsSharingOneModelMatchOneThread() throws Exception {
    int images = 32;
    float[] data = Fixtures.images(images, 21);
    try (VitModel classifier = Fixtures.open(Fixtures.CLASSIFIER);
        VitModel encoder = Fixtures.open(Fixtures.ENCODER_FROM_VIT)) {
      float[][] logits = new float[images][];
      float[][] pooled = new float[images][];
      for (int i = 0; i < images; i++) {
        logits[i] = classifier.classifier().classify(Fixtures.slice(data, i, PIXELS));
        pooled[i] = encoder.encoder().embed(Fixtures.slice(data, i, PIXELS)).embedding();
      }
      ExecutorService pool = Executors.newFixedThreadPool(16);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Integer>> futures = new ArrayList<>();
      for (int t = 0; t < 16; t++) {
        int offset = t;
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  int checked = 0;
                  for (int round = 0; round < 10; round++) {
                    for (int k = 0; k < images; k++) {
                      int i =
                          (k + offset) % images; // each thread walks the images in its own order
                      float[] image = Fixtures.slice(data, i, PIXELS);
                      assertArrayEquals(
                          logits[i], classifier.classifier().classify(image), "image " + i);
                      assertArrayEquals(
                          pooled[i], encoder.encoder().embed(image).embedding(), "image " + i);
                      checked++;
                    }
                  }
                  return checked;
                }));
      }
      start.countDown();
      int total = 0;
      for (Future<Integer> f : futures) total += f.get(120, TimeUnit.SECONDS);
      pool.shutdown();
      assertEquals(16 * 10 * images, total);
    }
  }

  @Test
  void callsAfterCloseThrowIllegalState() {
    VitModel model = Fixtures.open(Fixtures.MAE);
    model.close();
    model.close(); // idempotent
    float[] image = Fixtures.images(1, 22);
    String message =
        assertThrows(
                IllegalStateException.class,
                () -> model.mae().reconstruct(image, new float[PATCHES]))
            .getMessage();
    assertContains(message, "closed");
    assertThrows(IllegalStateException.class, () -> model.classifier().classify(image));
    assertThrows(IllegalStateException.class, () -> model.encoder().embed(image));
    assertEquals(ModelKind.MAE, model.info().kind(), "info stays readable");
  }

  @Test
  void closeWaitsForRunsInFlight() throws Exception {
    int batch = 64;
    float[] images = Fixtures.images(batch, 23);
    float[] mask = Fixtures.masks(batch, 8, 24);
    VitModel model = Fixtures.open(Fixtures.MAE);
    float[] expected = model.mae().reconstruct(images, mask, batch);

    int threads = 6;
    AtomicInteger completed = new AtomicInteger();
    List<Throwable> unexpected = new ArrayList<>();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread worker =
          new Thread(
              () -> {
                try {
                  while (true) {
                    float[] out = model.mae().reconstruct(images, mask, batch);
                    if (!java.util.Arrays.equals(expected, out))
                      throw new AssertionError("wrong result");
                    completed.incrementAndGet();
                  }
                } catch (IllegalStateException e) {
                  if (!e.getMessage().contains("closed")) add(unexpected, e);
                } catch (Throwable e) {
                  add(unexpected, e);
                }
              });
      workers.add(worker);
      worker.start();
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (model.runsInFlight() == 0 && System.nanoTime() < deadline) Thread.onSpinWait();
    int inFlightAtClose = model.runsInFlight();
    model.close();
    int inFlightAfterClose = model.runsInFlight();
    for (Thread w : workers) w.join(30_000);

    System.out.printf(
        "close(): %d runs in flight when called, %d after; %d runs completed%n",
        inFlightAtClose, inFlightAfterClose, completed.get());
    assertTrue(inFlightAtClose > 0, "close() was called while runs were in flight");
    assertEquals(0, inFlightAfterClose, "close() returned only after the runs in flight");
    assertTrue(
        unexpected.isEmpty(), "each run completes or throws IllegalStateException: " + unexpected);
    for (Thread w : workers) assertTrue(!w.isAlive());
  }

  private static synchronized void add(List<Throwable> list, Throwable e) {
    list.add(e);
  }
}
