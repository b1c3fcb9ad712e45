package dev.vitmae.cli;

import dev.vitmae.datasets.ImageSource;

/**
 * Summary of one split: image count and shape, images per class (0..9), and the mean and
 * (population) standard deviation of all pixels in [0, 1] units.
 */
public record DatasetStats(
    int count, int channels, int height, int width, int[] histogram, double mean, double std) {

  /** Computes the statistics (pixel sums in double precision over every value). */
  public static DatasetStats of(ImageSource data) {
    int[] histogram = new int[data.numClasses()];
    for (int i = 0; data.hasLabels() && i < data.count(); i++) {
      histogram[data.label(i)]++;
    }
    double sum = 0;
    double sumOfSquares = 0;
    float[] one = new float[data.valuesPerImage()];
    for (int i = 0; i < data.count(); i++) {
      data.fill(new int[] {i}, one, 0);
      for (float v : one) {
        sum += v;
        sumOfSquares += (double) v * v;
      }
    }
    double n = (double) data.count() * one.length;
    double mean = sum / n;
    double variance = Math.max(0, sumOfSquares / n - mean * mean);
    return new DatasetStats(
        data.count(),
        data.channels(),
        data.imageSize(),
        data.imageSize(),
        histogram,
        mean,
        Math.sqrt(variance));
  }

  /** {@code CxHxW}, e.g. {@code 1x28x28}. */
  public String shape() {
    return channels + "x" + height + "x" + width;
  }
}
