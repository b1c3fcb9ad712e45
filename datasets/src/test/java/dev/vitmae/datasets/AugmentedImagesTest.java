package dev.vitmae.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitmae.images.Augmentation;
import dev.vitmae.images.Preprocessing;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Images held at the model's size get augmented training views; the source itself does not. */
class AugmentedImagesTest {
  private static final int N = 6;
  private static final int C = 3;
  private static final int S = 8;
  private static final Augmentation A = new Augmentation(0.3, 1.0, 0.75, 4.0 / 3, true);

  private static FloatImages floats() {
    float[] pixels = new float[N * C * S * S];
    for (int i = 0; i < pixels.length; i++) pixels[i] = (i * 37 % 101) / 100f;
    return FloatImages.of(pixels, C, S).withLabels(new int[] {0, 1, 2, 0, 1, 2}, 3);
  }

  @Test
  void theSourceReadsItsStoredPixelsAndTheEpochViewsAugmentThemByImageIndex() {
    FloatImages stored = floats();
    AugmentedImages augmented = AugmentedImages.of(stored, A);
    int[] all = {0, 1, 2, 3, 4, 5};
    float[] plain = new float[N * C * S * S];
    augmented.fill(all, plain, 0);
    assertArrayEquals(stored.image(0), Arrays.copyOf(plain, C * S * S), "no epoch, no change");

    ImageSource epoch = augmented.forEpoch(42, 3);
    int per = C * S * S;
    for (int i = 0; i < N; i++) {
      float[] expected = new float[per];
      A.apply(stored.image(i), 0, C, S, Augmentation.random(42, 3, i), expected, 0);
      assertArrayEquals(expected, epoch.image(i), "image " + i);
    }
    // A batch in any order gives each image its own draw; the same epoch view again, the same
    // pixels.
    float[] batch = new float[2 * per];
    epoch.fill(new int[] {4, 1}, batch, 0);
    assertArrayEquals(epoch.image(4), Arrays.copyOf(batch, per));
    assertArrayEquals(epoch.image(1), Arrays.copyOfRange(batch, per, 2 * per));
    assertArrayEquals(epoch.image(2), augmented.forEpoch(42, 3).image(2));
    assertFalse(Arrays.equals(epoch.image(2), augmented.forEpoch(42, 4).image(2)), "next epoch");
    assertEquals(List.of(0, 1, 2, 0, 1, 2), Arrays.stream(epoch.labels()).boxed().toList());
  }

  @Test
  void aLabelSubsetDrawsByTheImagesIndexInTheWholeSource() {
    AugmentedImages augmented = AugmentedImages.of(floats(), A);
    ImageSource subset = augmented.select(new int[] {5, 2});
    ImageSource view = subset.forEpoch(7, 1);
    assertArrayEquals(augmented.forEpoch(7, 1).image(5), view.image(0));
    assertArrayEquals(augmented.forEpoch(7, 1).image(2), view.image(1));
    assertArrayEquals(augmented.image(5), subset.image(0), "the subset itself is not augmented");
  }

  @Test
  void theProvenanceRecordsTheAugmentationAndASecondOneIsRefused() {
    AugmentedImages augmented = AugmentedImages.of(floats(), A);
    Provenance p = augmented.provenance();
    assertEquals(Optional.of(A), p.augmentation());
    assertEquals(Optional.of(Preprocessing.of(S, C)), p.preprocessing());
    assertEquals(p, augmented.forEpoch(1, 0).provenance());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> AugmentedImages.of(augmented, Augmentation.mae()));
    assertTrue(e.getMessage().contains("already augments"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> augmented.forEpoch(1, -1));
  }
}
