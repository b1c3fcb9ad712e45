package dev.vitmae.cli;

import java.util.Objects;

/**
 * Images to run a model on, in memory: {@code pixels} are unsigned bytes {@code [count, channels, size, size]}
 * (NCHW, row-major), scaled to [0, 1] as {@code byte / 255} when fed; {@code labels} are one class id per image,
 * or null when unknown (PNG and IDX inputs).
 *
 * @param source what the images were read from, for messages ("synthetic-test", a file name)
 * @throws IllegalArgumentException when the sizes disagree
 */
record InputImages(String source, int count, int channels, int size, byte[] pixels, int[] labels) {

    InputImages {
        Objects.requireNonNull(source, "source");
        if (count <= 0) {
            throw new IllegalArgumentException(source + ": no images");
        }
        if ((long) count * channels * size * size != pixels.length) {
            throw new IllegalArgumentException(source + ": " + pixels.length + " pixel bytes for " + count
                    + " images of " + channels + "x" + size + "x" + size);
        }
        if (labels != null && labels.length != count) {
            throw new IllegalArgumentException(source + ": " + labels.length + " labels for " + count + " images");
        }
    }

    /** The pixels of {@code data} as bytes (exact for byte-backed sources such as IDX files). */
    static byte[] bytes(dev.vitmae.datasets.ImageSource data) {
        int per = data.valuesPerImage();
        byte[] out = new byte[data.count() * per];
        float[] one = new float[per];
        for (int i = 0; i < data.count(); i++) {
            data.fill(new int[] {i}, one, 0);
            for (int j = 0; j < per; j++) {
                out[i * per + j] = (byte) Math.round(Math.max(0f, Math.min(1f, one[j])) * 255f);
            }
        }
        return out;
    }

    /** Floats per image, {@code channels * size * size}. */
    int imageLength() {
        return channels * size * size;
    }

    boolean labelled() {
        return labels != null;
    }

    /** Images {@code [from, to)} as NCHW floats in [0, 1], written into {@code dst} from index 0. */
    void copy(int from, int to, float[] dst) {
        Objects.checkFromToIndex(from, to, count);
        int n = (to - from) * imageLength();
        for (int i = 0, src = from * imageLength(); i < n; i++) {
            dst[i] = (pixels[src + i] & 0xff) / 255f;
        }
    }
}
