package dev.vitmae.runtime;

import static dev.vitmae.runtime.Fixtures.PATCHES;
import static dev.vitmae.runtime.Fixtures.PIXELS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitmae.contract.ModelKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The I-JEPA predictor model: contract, batch consistency and input checks. */
class PredictorTest {
  static final int DIM = 16;
  static VitModel predictor;

  @BeforeAll
  static void open() {
    predictor = Fixtures.open(Fixtures.PREDICTOR);
  }

  @AfterAll
  static void close() {
    predictor.close();
  }

  /** Sample b: context = patches 0..7 plus b, target = patches 12, 13 (never in the context). */
  static float[][] masks(int batch) {
    float[] hidden = new float[batch * PATCHES];
    float[] target = new float[batch * PATCHES];
    for (int b = 0; b < batch; b++) {
      for (int p = 0; p < PATCHES; p++) hidden[b * PATCHES + p] = p < 8 || p == 8 + b % 4 ? 0 : 1;
      target[b * PATCHES + 12] = 1;
      target[b * PATCHES + 13] = 1;
    }
    return new float[][] {hidden, target};
  }

  @Test
  void contractIsReadFromTheModel() {
    ModelInfo info = predictor.info();
    assertEquals(ModelKind.PREDICTOR, info.kind());
    assertEquals(16, info.numPatches());
    assertEquals(7, info.patchSize());
    assertTrue(
        info.inputs()
            .keySet()
            .containsAll(java.util.Set.of("images", "context_mask", "target_mask")));
  }

  @Test
  void eachSampleIsPredictedAsIfAlone() {
    float[] images = Fixtures.images(5, 3);
    float[][] m = masks(5);
    float[] all = predictor.predictor().predictTargets(images, m[0], m[1], 5);
    assertEquals(5 * PATCHES * DIM, all.length);
    for (int b = 0; b < 5; b++) {
      float[] one =
          predictor
              .predictor()
              .predictTargets(
                  Fixtures.slice(images, b, PIXELS),
                  Fixtures.slice(m[0], b, PATCHES),
                  Fixtures.slice(m[1], b, PATCHES),
                  1);
      assertTrue(
          Fixtures.maxAbsDiff(one, Fixtures.slice(all, b, PATCHES * DIM)) <= 1e-5f, "sample " + b);
    }
    // A different context changes the prediction of the same target.
    float[] first = Fixtures.slice(all, 0, PATCHES * DIM);
    float[] second =
        predictor
            .predictor()
            .predictTargets(
                Fixtures.slice(images, 0, PIXELS),
                Fixtures.slice(m[0], 1, PATCHES),
                Fixtures.slice(m[1], 0, PATCHES),
                1);
    assertTrue(Fixtures.maxAbsDiff(first, second) > 1e-4f);
  }

  @Test
  void overlappingOrInvalidMasksAreRejected() {
    float[] images = Fixtures.images(2, 4);
    float[][] m = masks(2);
    m[1][PATCHES + 2] = 1;
    String message =
        assertThrows(
                IllegalArgumentException.class,
                () -> predictor.predictor().predictTargets(images, m[0], m[1], 2))
            .getMessage();
    assertTrue(message.contains("patch 2 of sample 1 is both a context patch"), message);
    m[1][PATCHES + 2] = 0;
    m[0][5] = 0.5f;
    message =
        assertThrows(
                IllegalArgumentException.class,
                () -> predictor.predictor().predictTargets(images, m[0], m[1], 2))
            .getMessage();
    assertTrue(
        message.contains(
            "context_mask[5] (sample 0, patch 5) = 0.5; context_mask values must be 0 or 1"),
        message);
    m[0][5] = 0;
    message =
        assertThrows(
                IllegalArgumentException.class,
                () -> predictor.predictor().predictTargets(images, m[0], new float[PATCHES], 2))
            .getMessage();
    assertTrue(message.contains("target_mask: expected 32 floats"), message);
  }

  @Test
  void otherKindsDoNotPredictTargets() {
    assertThrows(
        UnsupportedOperationException.class,
        () -> predictor.encoder().embed(Fixtures.images(1, 5)));
    try (VitModel encoder = Fixtures.open(Fixtures.ENCODER_FROM_MAE)) {
      float[][] m = masks(1);
      String message =
          assertThrows(
                  UnsupportedOperationException.class,
                  () -> encoder.predictor().predictTargets(Fixtures.images(1, 6), m[0], m[1], 1))
              .getMessage();
      assertTrue(message.contains("predictor() needs a predictor model, but "), message);
    }
  }
}
