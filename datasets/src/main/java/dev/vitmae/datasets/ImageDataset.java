package dev.vitmae.datasets;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * A labelled image dataset held in memory: {@code pixels} are unsigned bytes of shape
 * {@code [count, channels, height, width]} (NCHW, row-major), {@code labels} are class ids
 * {@code 0..9}, one per image. Float views scale pixels to [0, 1] as {@code byte / 255f}.
 *
 * @throws IllegalArgumentException from the constructor if shapes disagree or a label is out of range
 */
public record ImageDataset(String name, int count, int channels, int height, int width, byte[] pixels, byte[] labels) {
    public static final int NUM_CLASSES = 10;

    public ImageDataset {
        Objects.requireNonNull(name, "name");
        if (count <= 0 || channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException(name + ": dimensions must be positive, got count=" + count
                    + " channels=" + channels + " height=" + height + " width=" + width);
        }
        if ((long) pixels.length != (long) count * channels * height * width) {
            throw new IllegalArgumentException(name + ": expected " + (long) count * channels * height * width
                    + " pixel bytes for " + count + " images, got " + pixels.length);
        }
        if (labels.length != count) {
            throw new IllegalArgumentException(name + ": " + labels.length + " labels for " + count + " images");
        }
        int bad = firstBadLabel(labels);
        if (bad >= 0) {
            throw new IllegalArgumentException(name + ": label " + (labels[bad] & 0xff) + " of image " + bad
                    + " is outside 0.." + (NUM_CLASSES - 1));
        }
    }

    /** One-channel dataset from IDX-shaped images. */
    public static ImageDataset of(String name, ImageArray images, byte[] labels) {
        return new ImageDataset(name, images.count(), 1, images.rows(), images.cols(), images.pixels(), labels);
    }

    /**
     * Reads an IDX image file and its label file.
     *
     * @throws IdxFormatException if either file is malformed, the counts differ, or a label is not 0..9
     */
    public static ImageDataset fromIdx(String name, Path images, Path labels) throws IOException {
        ImageArray imageArray = Idx.readImages(images);
        byte[] labelBytes = Idx.readLabels(labels);
        if (labelBytes.length != imageArray.count()) {
            throw new IdxFormatException(labels, "dimension 0 (count)", 4, labelBytes.length
                    + " labels do not match the " + imageArray.count() + " images in " + images);
        }
        int bad = firstBadLabel(labelBytes);
        if (bad >= 0) {
            throw new IdxFormatException(labels, "label " + bad, 8L + bad,
                    "value " + (labelBytes[bad] & 0xff) + " is outside 0.." + (NUM_CLASSES - 1));
        }
        return of(name, imageArray, labelBytes);
    }

    /** Values per image, {@code channels * height * width}. */
    public int imageSize() {
        return channels * height * width;
    }

    /** Pixel {@code index} (within {@code [channels, height, width]}) of an image, in [0, 1]. */
    public float pixel01(int image, int index) {
        Objects.checkIndex(index, imageSize());
        return (pixels[Objects.checkIndex(image, count) * imageSize() + index] & 0xff) / 255f;
    }

    /** Image {@code i} as floats in [0, 1], shape {@code [channels, height, width]}. */
    public float[] image(int i) {
        float[] out = new float[imageSize()];
        copyImages(new int[] {i}, out, 0);
        return out;
    }

    public int label(int i) {
        return labels[Objects.checkIndex(i, count)];
    }

    /** Labels of the given images, in order. */
    public int[] labels(int[] indices) {
        int[] out = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            out[k] = label(indices[k]);
        }
        return out;
    }

    /** Writes the given images consecutively into {@code dst} from {@code dstOffset}: NCHW floats in [0, 1]. */
    public void copyImages(int[] indices, float[] dst, int dstOffset) {
        int size = imageSize();
        long needed = (long) indices.length * size;
        if (dstOffset < 0 || dstOffset + needed > dst.length) {
            throw new IndexOutOfBoundsException("dst holds " + dst.length + " floats but " + indices.length
                    + " images need " + needed + " from offset " + dstOffset);
        }
        for (int k = 0; k < indices.length; k++) {
            int src = Objects.checkIndex(indices[k], count) * size;
            int to = dstOffset + k * size;
            for (int j = 0; j < size; j++) {
                dst[to + j] = (pixels[src + j] & 0xff) / 255f;
            }
        }
    }

    /** Images {@code [from, to)} as a new dataset (copied); throws if the range is empty or out of bounds. */
    public ImageDataset subset(int from, int to) {
        Objects.checkFromToIndex(from, to, count);
        int size = imageSize();
        return new ImageDataset(name, to - from, channels, height, width,
                Arrays.copyOfRange(pixels, from * size, to * size), Arrays.copyOfRange(labels, from, to));
    }

    public int numClasses() {
        return NUM_CLASSES;
    }

    @Override
    public String toString() {
        return "ImageDataset[" + name + ": " + count + "x" + channels + "x" + height + "x" + width + "]";
    }

    private static int firstBadLabel(byte[] labels) {
        for (int i = 0; i < labels.length; i++) {
            if ((labels[i] & 0xff) >= NUM_CLASSES) {
                return i;
            }
        }
        return -1;
    }
}
