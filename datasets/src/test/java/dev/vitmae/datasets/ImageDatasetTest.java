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
        return new ImageDataset("small", 3, 1, 2, 2, pixels, new byte[] {7, 0, 9});
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
        assertEquals(4, data.imageSize());
    }

    @Test
    void copyImagesWritesNchwConsecutivelyFromTheOffset() {
        ImageDataset data = small();
        float[] dst = new float[10];
        data.copyImages(new int[] {2, 0}, dst, 1);
        assertEquals(0f, dst[0]);
        assertArrayEquals(data.image(2), java.util.Arrays.copyOfRange(dst, 1, 5));
        assertArrayEquals(data.image(0), java.util.Arrays.copyOfRange(dst, 5, 9));
        assertThrows(IndexOutOfBoundsException.class, () -> data.copyImages(new int[] {0, 1, 2}, dst, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> data.copyImages(new int[] {3}, dst, 0));
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
        IllegalArgumentException labels = assertThrows(IllegalArgumentException.class,
                () -> new ImageDataset("d", 3, 1, 2, 2, new byte[12], new byte[2]));
        assertTrue(labels.getMessage().contains("2 labels for 3 images"), labels.getMessage());
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> new ImageDataset("d", 1, 1, 2, 2, new byte[4], new byte[] {10}));
        assertTrue(range.getMessage().contains("label 10"), range.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ImageDataset("d", 1, 1, 2, 2, new byte[5], new byte[1]));
        assertThrows(IllegalArgumentException.class, () -> new ImageArray(2, 2, 2, new byte[7]));
    }
}
