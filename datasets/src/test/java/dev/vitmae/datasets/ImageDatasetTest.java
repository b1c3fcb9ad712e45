package dev.vitmae.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ImageDatasetTest {
  /** Three 2x2 images; pixel j of image i is 10*i + j, except one pixel of 255. */
  private static ImageDataset small() {
    byte[] pixels = new byte[12];
    for (int i = 0; i < 12; i++) {
      pixels[i] = (byte) (10 * (i / 4) + i % 4);
    }
    pixels[11] = (byte) 255;
    return ImageDataset.labelled(
        "small", 1, 2, pixels, new int[] {7, 0, 9}, 10, java.util.List.of());
  }

  @Test
  void floatViewsScaleBytesToUnitRange() {
    ImageDataset data = small();
    assertEquals(21 / 255f, data.pixel01(2, 1));
    assertEquals(1f, data.pixel01(2, 3));
    assertArrayEquals(new float[] {10 / 255f, 11 / 255f, 12 / 255f, 13 / 255f}, data.image(1));
    assertEquals(9, data.label(2));
    assertArrayEquals(new int[] {9, 7}, data.labels(new int[] {2, 0}));
    assertEquals(10, data.numClasses());
    assertEquals(2, data.imageSize());
    assertEquals(4, data.valuesPerImage());
  }

  @Test
  void fillWritesNchwConsecutivelyFromTheOffset() {
    ImageDataset data = small();
    float[] dst = new float[10];
    data.fill(new int[] {2, 0}, dst, 1);
    assertEquals(0f, dst[0]);
    assertArrayEquals(data.image(2), java.util.Arrays.copyOfRange(dst, 1, 5));
    assertArrayEquals(data.image(0), java.util.Arrays.copyOfRange(dst, 5, 9));
    assertThrows(IndexOutOfBoundsException.class, () -> data.fill(new int[] {0, 1, 2}, dst, 0));
    assertThrows(IndexOutOfBoundsException.class, () -> data.fill(new int[] {3}, dst, 0));
  }

  @Test
  void subsetCopiesARange() {
    ImageDataset sub = small().subset(1, 3);
    assertEquals(2, sub.count());
    assertEquals(0, sub.label(0));
    assertArrayEquals(small().image(1), sub.image(0));
    assertThrows(IndexOutOfBoundsException.class, () -> small().subset(2, 4));
  }

  @Test
  void inconsistentInMemoryDataIsRejected() {
    IllegalArgumentException labels =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ImageDataset.labelled(
                    "d", 1, 2, new byte[12], new int[2], 10, java.util.List.of()));
    assertTrue(labels.getMessage().contains("2 labels for 3 images"), labels.getMessage());
    IllegalArgumentException range =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ImageDataset.labelled(
                    "d", 1, 2, new byte[4], new int[] {10}, 10, java.util.List.of()));
    assertTrue(range.getMessage().contains("label 10"), range.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> ImageDataset.labelled("d", 1, 2, new byte[5], new int[1], 10, java.util.List.of()));
    assertThrows(IllegalArgumentException.class, () -> new ImageArray(2, 2, 2, new byte[7]));
  }

  @Test
  void unlabelledImagesHaveNoClassesAndRefuseLabelQueries() {
    ImageDataset data = ImageDataset.unlabelled("u", 3, 2, new byte[24]);
    assertEquals(2, data.count());
    assertEquals(false, data.hasLabels());
    assertEquals(0, data.numClasses());
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> data.label(0));
    assertTrue(e.getMessage().contains("u has no labels"), e.getMessage());
  }

  @Test
  void anyNumberOfClassesWithNames() {
    byte[] px = new byte[3 * 4];
    ImageDataset data =
        ImageDataset.labelled("n", 1, 2, px, new int[] {299, 0, 150}, 300, java.util.List.of());
    assertEquals(300, data.numClasses());
    assertEquals(299, data.label(0));
    IllegalArgumentException names =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ImageDataset.labelled(
                    "n", 1, 2, px, new int[] {1, 0, 1}, 2, java.util.List.of("cat")));
    assertTrue(names.getMessage().contains("1 class names for 2 classes"), names.getMessage());
  }

  @Test
  void floatImagesCopyTheirPixelsAndCheckLabels() {
    float[] px = new float[2 * 3 * 4];
    for (int i = 0; i < px.length; i++) {
      px[i] = i / 100f;
    }
    FloatImages images = FloatImages.of(px, 3, 2);
    assertEquals(2, images.count());
    assertArrayEquals(java.util.Arrays.copyOfRange(px, 12, 24), images.image(1));
    FloatImages labelled = images.withLabels(new int[] {1, 0}, java.util.List.of("a", "b"));
    assertEquals(java.util.List.of("a", "b"), labelled.classNames());
    assertThrows(IllegalArgumentException.class, () -> images.withLabels(new int[] {2, 0}, 2));
    assertThrows(IllegalArgumentException.class, () -> FloatImages.of(new float[13], 3, 2));
  }
}
