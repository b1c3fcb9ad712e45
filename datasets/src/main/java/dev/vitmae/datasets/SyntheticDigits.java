package dev.vitmae.datasets;

import java.util.SplittableRandom;

/**
 * A seeded stand-in for MNIST that needs no files: 1x28x28 grayscale images in 10 classes, each a
 * distinct stroke pattern (0 ring, 1 vertical bar, 2 horizontal bar, 3 plus, 4 diagonal "\", 5
 * diagonal "/", 6 X, 7 square outline, 8 filled disk, 9 "L" corner) jittered in position, scale,
 * rotation, thickness and brightness, with mild noise. Easy enough to classify, structured enough
 * to reconstruct. The same seed gives the same bytes (StrictMath, so on every JVM).
 */
public final class SyntheticDigits {
  public static final int SIZE = 28;

  private SyntheticDigits() {}

  /**
   * Generates {@code count} images with labels balanced over the 10 classes (each occurs when
   * {@code count >= 10}), in shuffled order.
   *
   * @throws IllegalArgumentException if {@code count <= 0}
   */
  public static ImageDataset generate(String name, int count, long seed) {
    if (count <= 0) {
      throw new IllegalArgumentException("count must be positive, got " + count);
    }
    SplittableRandom rng = new SplittableRandom(seed);
    byte[] labels = balancedLabels(count, rng);
    byte[] pixels = new byte[count * SIZE * SIZE];
    for (int i = 0; i < count; i++) {
      render(labels[i], rng, pixels, i * SIZE * SIZE);
    }
    return ImageDataset.labelled(
        name, 1, SIZE, pixels, ImageDataset.unsigned(labels), 10, ImageDataset.DIGIT_CLASSES);
  }

  /** Class {@code k % 10} for a random permutation k: balanced and shuffled. */
  private static byte[] balancedLabels(int count, SplittableRandom rng) {
    int[] order = Batches.permutation(count, rng);
    byte[] labels = new byte[count];
    for (int i = 0; i < count; i++) {
      labels[i] = (byte) (order[i] % 10);
    }
    return labels;
  }

  /** Draws one jittered pattern as an anti-aliased stroke of half-width {@code halfWidth}. */
  private static void render(int label, SplittableRandom rng, byte[] out, int offset) {
    double cx = 13.5 + uniform(rng, -3, 3);
    double cy = 13.5 + uniform(rng, -3, 3);
    double radius = 8 * uniform(rng, 0.8, 1.2);
    double angle = uniform(rng, -0.2, 0.2);
    double halfWidth = uniform(rng, 0.8, 1.6);
    double brightness = uniform(rng, 0.75, 1.0);
    double cos = StrictMath.cos(angle);
    double sin = StrictMath.sin(angle);
    for (int y = 0; y < SIZE; y++) {
      for (int x = 0; x < SIZE; x++) {
        // Pattern coordinates: rotated about the centre and scaled so the pattern spans [-1, 1].
        double u = ((x - cx) * cos + (y - cy) * sin) / radius;
        double v = (-(x - cx) * sin + (y - cy) * cos) / radius;
        double distance = distance(label, u, v) * radius;
        double ink = brightness * clamp(halfWidth + 0.5 - distance);
        double value = clamp(ink + uniform(rng, -0.05, 0.05));
        out[offset + y * SIZE + x] = (byte) Math.round(value * 255);
      }
    }
  }

  /** Distance from (u, v) to the class pattern, in pattern units. */
  private static double distance(int label, double u, double v) {
    return switch (label) {
      case 0 -> Math.abs(StrictMath.hypot(u, v) - 0.8);
      case 1 -> segment(u, v, 0, -1, 0, 1);
      case 2 -> segment(u, v, -1, 0, 1, 0);
      case 3 -> Math.min(segment(u, v, 0, -1, 0, 1), segment(u, v, -1, 0, 1, 0));
      case 4 -> segment(u, v, -0.75, -0.75, 0.75, 0.75);
      case 5 -> segment(u, v, -0.75, 0.75, 0.75, -0.75);
      case 6 ->
          Math.min(
              segment(u, v, -0.75, -0.75, 0.75, 0.75), segment(u, v, -0.75, 0.75, 0.75, -0.75));
      case 7 -> Math.abs(Math.max(Math.abs(u), Math.abs(v)) - 0.7);
      case 8 -> Math.max(0, StrictMath.hypot(u, v) - 0.5);
      case 9 -> Math.min(segment(u, v, -0.6, -1, -0.6, 0.9), segment(u, v, -0.6, 0.9, 0.7, 0.9));
      default -> throw new IllegalArgumentException("label " + label);
    };
  }

  /** Distance from (px, py) to the segment (ax, ay)-(bx, by). */
  private static double segment(double px, double py, double ax, double ay, double bx, double by) {
    double dx = bx - ax;
    double dy = by - ay;
    double t = clamp(((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy));
    return StrictMath.hypot(px - (ax + t * dx), py - (ay + t * dy));
  }

  private static double uniform(SplittableRandom rng, double from, double to) {
    return from + rng.nextDouble() * (to - from);
  }

  private static double clamp(double x) {
    return Math.max(0, Math.min(1, x));
  }
}
