package dev.vitmae.runtime;

import static dev.vitmae.runtime.Fixtures.PATCHES;
import static dev.vitmae.runtime.Fixtures.PIXELS;
import static dev.vitmae.runtime.ModelInfoTest.assertContains;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class InferenceTest {

  static VitModel encoder;
  static VitModel mae;
  static VitModel classifier;

  @BeforeAll
  static void open() {
    encoder = Fixtures.open(Fixtures.ENCODER_FROM_MAE);
    mae = Fixtures.open(Fixtures.MAE);
    classifier = Fixtures.open(Fixtures.CLASSIFIER);
  }

  @AfterAll
  static void close() {
    encoder.close();
    mae.close();
    classifier.close();
  }

  @Test
  void embedReturnsTokensAndPooledEmbedding() {
    Embeddings e = encoder.encoder().embed(Fixtures.images(5, 1), 5);
    assertEquals(5, e.batch());
    assertEquals(16, e.numTokens());
    assertEquals(16, e.dim());
    assertEquals(5 * 16 * 16, e.tokens().length);
    assertEquals(5 * 16, e.embedding().length);
    assertArrayEquals(Fixtures.slice(e.embedding(), 3, 16), e.embedding(3));
    Embeddings one = encoder.encoder().embed(Fixtures.slice(Fixtures.images(5, 1), 3, PIXELS));
    assertEquals(1, one.batch());
    assertTrue(Fixtures.maxAbsDiff(one.tokens(), e.tokensOf(3)) <= 1e-5f);
  }

  @Test
  void anEncoderExportedWithoutAttentionSaysHowToGetIt() {
    EncoderView view = encoder.encoder();
    assertTrue(!view.hasAttention());
    var e =
        assertThrows(
            UnsupportedOperationException.class, () -> view.attention(Fixtures.images(1, 1)));
    assertContains(e.getMessage(), "exported without the optional output 'attention'");
    assertContains(e.getMessage(), "vitmae export --attention");
  }

  @Test
  void encoderFromVitEmbedsToo() {
    try (VitModel vit = Fixtures.open(Fixtures.ENCODER_FROM_VIT)) {
      Embeddings e = vit.encoder().embed(Fixtures.images(2, 2), 2);
      assertEquals(2 * 16, e.embedding().length);
      assertEquals(16, e.numTokens());
    }
  }

  @Test
  void classifyReturnsLogitsAndPredictTheirArgmax() {
    float[] images = Fixtures.images(6, 4);
    float[] logits = classifier.classifier().classify(images, 6);
    assertEquals(6 * 10, logits.length);
    int[] labels = classifier.classifier().predict(images, 6);
    for (int b = 0; b < 6; b++) {
      float[] row = Fixtures.slice(logits, b, 10);
      for (float v : row) assertTrue(v <= row[labels[b]]);
      assertEquals(labels[b], classifier.classifier().predict(Fixtures.slice(images, b, PIXELS)));
    }
    assertEquals(10, classifier.classifier().classify(Fixtures.slice(images, 0, PIXELS)).length);
  }

  @Test
  void reconstructPassesVisiblePatchesThroughExactly() {
    int batch = 4;
    float[] images = Fixtures.images(batch, 5);
    float[] mask = Fixtures.masks(batch, 6, 6); // a different mask per sample
    float[] out = mae.mae().reconstruct(images, mask, batch);
    assertEquals(images.length, out.length);
    int changedPixels = 0;
    for (int b = 0; b < batch; b++) {
      for (int y = 0; y < 28; y++) {
        for (int x = 0; x < 28; x++) {
          int patch =
              (y / 7) * 4 + x / 7; // b c (h p1) (w p2) -> b (h w) (p1 p2 c), row-major 4×4 grid
          int i = b * PIXELS + y * 28 + x;
          if (mask[b * PATCHES + patch] == 0) {
            assertEquals(
                images[i],
                out[i],
                0f,
                "visible pixel " + i + " (sample " + b + ", patch " + patch + ")");
          } else if (images[i] != out[i]) {
            changedPixels++;
          }
        }
      }
    }
    assertTrue(
        changedPixels > batch * 6 * 49 / 2,
        "masked patches are predicted, changed " + changedPixels);
  }

  @Test
  void reconstructWithNothingMaskedReturnsTheInput() {
    float[] images = Fixtures.images(3, 8);
    assertArrayEquals(images, mae.mae().reconstruct(images, new float[3 * PATCHES], 3));
  }

  @Test
  void reconstructHandlesAnyNumberOfMaskedPatchesPerSample() {
    int batch = PATCHES + 1;
    float[] images = Fixtures.images(batch, 9);
    float[] mask = new float[batch * PATCHES];
    for (int b = 0; b < batch; b++) {
      for (int p = 0; p < b; p++) mask[b * PATCHES + p] = 1; // sample b hides its first b patches
    }
    float[] out = mae.mae().reconstruct(images, mask, batch);
    for (float v : out) assertTrue(Float.isFinite(v), "finite even with every patch masked");
    for (int b = 0; b < batch; b++) {
      float[] alone =
          mae.mae()
              .reconstruct(Fixtures.slice(images, b, PIXELS), Fixtures.slice(mask, b, PATCHES));
      assertTrue(
          Fixtures.maxAbsDiff(alone, Fixtures.slice(out, b, PIXELS)) <= 1e-5f, "sample " + b);
    }
    assertArrayEquals(Fixtures.slice(images, 0, PIXELS), Fixtures.slice(out, 0, PIXELS));
    assertNotEquals(
        Fixtures.slice(images, PATCHES, PIXELS)[0], Fixtures.slice(out, PATCHES, PIXELS)[0]);
  }

  @Test
  void batchesAgreeWithSingleImageRuns() {
    for (int batch : new int[] {1, 7, 64}) {
      float[] images = Fixtures.images(batch, 100 + batch);
      float[] mask = Fixtures.masks(batch, 4, 200 + batch);
      float[] logits = classifier.classifier().classify(images, batch);
      Embeddings e = encoder.encoder().embed(images, batch);
      float[] rec = mae.mae().reconstruct(images, mask, batch);
      float worst = 0;
      for (int b = 0; b < batch; b++) {
        float[] image = Fixtures.slice(images, b, PIXELS);
        worst =
            Math.max(
                worst,
                Fixtures.maxAbsDiff(
                    classifier.classifier().classify(image), Fixtures.slice(logits, b, 10)));
        Embeddings one = encoder.encoder().embed(image);
        worst = Math.max(worst, Fixtures.maxAbsDiff(one.tokens(), e.tokensOf(b)));
        worst = Math.max(worst, Fixtures.maxAbsDiff(one.embedding(), e.embedding(b)));
        float[] r = mae.mae().reconstruct(image, Fixtures.slice(mask, b, PATCHES));
        worst = Math.max(worst, Fixtures.maxAbsDiff(r, Fixtures.slice(rec, b, PIXELS)));
      }
      System.out.printf("batch %d: max |batch - single| = %.3g%n", batch, worst);
      assertTrue(worst <= 1e-5f, "batch " + batch + ": max |Δ| " + worst);
    }
  }

  @Test
  void floatBuffersAgreeWithArrays() {
    float[] images = Fixtures.images(3, 11);
    float[] expected = classifier.classifier().classify(images, 3);

    FloatBuffer direct =
        ByteBuffer.allocateDirect((images.length + 5) * 4)
            .order(ByteOrder.nativeOrder())
            .asFloatBuffer();
    direct.position(5);
    direct.put(images).position(5); // starts at an offset: position..limit is the batch
    assertArrayEquals(expected, classifier.classifier().classify(direct, 3));
    assertEquals(5, direct.position(), "the caller's position is untouched");

    ByteOrder other =
        ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN
            ? ByteOrder.BIG_ENDIAN
            : ByteOrder.LITTLE_ENDIAN;
    FloatBuffer swapped =
        ByteBuffer.allocateDirect(images.length * 4)
            .order(other)
            .asFloatBuffer()
            .put(images)
            .flip();
    assertArrayEquals(expected, classifier.classifier().classify(swapped, 3));
    assertArrayEquals(expected, classifier.classifier().classify(FloatBuffer.wrap(images), 3));

    float[] mask = Fixtures.masks(3, 5, 12);
    assertArrayEquals(
        mae.mae().reconstruct(images, mask, 3),
        mae.mae().reconstruct(direct.duplicate(), FloatBuffer.wrap(mask), 3));
    assertArrayEquals(
        encoder.encoder().embed(images, 3).tokens(), encoder.encoder().embed(direct, 3).tokens());
    assertArrayEquals(
        classifier.classifier().predict(images, 3), classifier.classifier().predict(direct, 3));
  }

  @Test
  void wrongLengthIsRejected() {
    String message =
        assertThrows(
                IllegalArgumentException.class,
                () -> classifier.classifier().classify(new float[2 * PIXELS - 1], 2))
            .getMessage();
    assertContains(message, "images: expected 1568 floats (batch 2 × 1×28×28), got 1567");
    message =
        assertThrows(
                IllegalArgumentException.class,
                () -> mae.mae().reconstruct(new float[PIXELS], new float[15], 1))
            .getMessage();
    assertContains(message, "mask: expected 16 floats (batch 1 × 16 patches), got 15");
  }

  @Test
  void batchBelowOneIsRejected() {
    String message =
        assertThrows(
                IllegalArgumentException.class,
                () -> classifier.classifier().classify(new float[0], 0))
            .getMessage();
    assertContains(message, "batch must be >= 1, got 0");
  }

  @Test
  void nanAndInfinityAreRejectedWithTheirIndex() {
    float[] images = Fixtures.images(2, 13);
    images[PIXELS + 10] = Float.NaN;
    String message =
        assertThrows(IllegalArgumentException.class, () -> encoder.encoder().embed(images, 2))
            .getMessage();
    assertContains(message, "images[794] (sample 1, offset 10) is NaN");
    images[PIXELS + 10] = 0.5f;
    images[3] = Float.NEGATIVE_INFINITY;
    message =
        assertThrows(IllegalArgumentException.class, () -> encoder.encoder().embed(images, 2))
            .getMessage();
    assertContains(message, "images[3] (sample 0, offset 3) is -Infinity");
  }

  @Test
  void pixelsOutsideZeroOneAreRejectedWithinATolerance() {
    float[] image = Fixtures.images(1, 14);
    image[100] = 1.5f;
    String message =
        assertThrows(IllegalArgumentException.class, () -> classifier.classifier().classify(image))
            .getMessage();
    assertContains(message, "images[100] (sample 0, offset 100) = 1.5 is outside [0, 1]");
    image[100] = 1f + 5e-7f;
    image[101] = -5e-7f;
    assertEquals(
        10,
        classifier.classifier().classify(image).length,
        "float round-off within 1e-6 is accepted");
  }

  @Test
  void maskValuesOtherThanZeroOrOneAreRejected() {
    float[] mask = new float[2 * PATCHES];
    mask[PATCHES + 3] = 0.5f;
    String message =
        assertThrows(
                IllegalArgumentException.class,
                () -> mae.mae().reconstruct(Fixtures.images(2, 15), mask, 2))
            .getMessage();
    assertContains(
        message,
        "mask[19] (sample 1, patch 3) = 0.5; mask values must be 0 (visible) or 1 (masked)");
  }

  @Test
  void methodsOfAnotherKindAreUnsupported() {
    float[] image = Fixtures.images(1, 16);
    String message =
        assertThrows(UnsupportedOperationException.class, () -> mae.classifier().classify(image))
            .getMessage();
    assertContains(message, "classifier() needs a classifier model");
    assertContains(message, "is a mae model");
    message =
        assertThrows(UnsupportedOperationException.class, () -> classifier.encoder().embed(image))
            .getMessage();
    assertContains(message, "encoder() needs an encoder model");
    assertContains(message, "is a classifier model");
    message =
        assertThrows(
                UnsupportedOperationException.class,
                () -> encoder.mae().reconstruct(image, new float[PATCHES]))
            .getMessage();
    assertContains(message, "mae() needs a mae model");
    assertContains(message, "is an encoder model");
    assertThrows(UnsupportedOperationException.class, () -> encoder.classifier().predict(image));
  }
}
