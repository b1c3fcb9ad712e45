package dev.vitmae.cli;

import dev.vitmae.datasets.ImageDataset;

/**
 * Summary of one split: image count and shape, images per class (0..9), and the mean and
 * (population) standard deviation of all pixels in [0, 1] units.
 */
public record DatasetStats(int count, int channels, int height, int width, int[] histogram, double mean, double std) {

    /** Computes the statistics exactly (integer sums of the byte pixels). */
    public static DatasetStats of(ImageDataset data) {
        int[] histogram = new int[ImageDataset.NUM_CLASSES];
        for (byte label : data.labels()) {
            histogram[label & 0xff]++;
        }
        long sum = 0;
        long sumOfSquares = 0;
        for (byte pixel : data.pixels()) {
            int v = pixel & 0xff;
            sum += v;
            sumOfSquares += (long) v * v;
        }
        double n = data.pixels().length;
        double mean = sum / n;
        double variance = Math.max(0, sumOfSquares / n - mean * mean);
        return new DatasetStats(data.count(), data.channels(), data.height(), data.width(), histogram,
                mean / 255.0, Math.sqrt(variance) / 255.0);
    }

    /** {@code CxHxW}, e.g. {@code 1x28x28}. */
    public String shape() {
        return channels + "x" + height + "x" + width;
    }
}
