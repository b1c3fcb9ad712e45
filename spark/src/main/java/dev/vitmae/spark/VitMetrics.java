package dev.vitmae.spark;

import java.io.Serializable;
import org.apache.spark.SparkContext;
import org.apache.spark.util.LongAccumulator;

/**
 * Counters a transformer adds to while its job runs (Spark accumulators, summed over tasks; a
 * retried task counts again): images read, bad images, and the nanoseconds spent decoding and in
 * ONNX Runtime.
 */
public final class VitMetrics implements Serializable {

  private final LongAccumulator images;
  private final LongAccumulator badImages;
  private final LongAccumulator decodeNanos;
  private final LongAccumulator inferenceNanos;

  private VitMetrics(SparkContext sc) {
    images = sc.longAccumulator("vitmae images");
    badImages = sc.longAccumulator("vitmae bad images");
    decodeNanos = sc.longAccumulator("vitmae decode ns");
    inferenceNanos = sc.longAccumulator("vitmae inference ns");
  }

  /** New counters, registered with {@code sc}; pass them to a transformer's {@code setMetrics}. */
  public static VitMetrics register(SparkContext sc) {
    return new VitMetrics(sc);
  }

  /** Rows read, good and bad. */
  public long images() {
    return images.value();
  }

  /** Rows whose image could not be read. */
  public long badImages() {
    return badImages.value();
  }

  /** Seconds spent turning inputs into pixels, summed over tasks. */
  public double decodeSeconds() {
    return decodeNanos.value() / 1e9;
  }

  /** Seconds spent in ONNX Runtime runs (batch staging included), summed over tasks. */
  public double inferenceSeconds() {
    return inferenceNanos.value() / 1e9;
  }

  void add(long rows, long bad, long decode, long inference) {
    images.add(rows);
    badImages.add(bad);
    decodeNanos.add(decode);
    inferenceNanos.add(inference);
  }

  @Override
  public String toString() {
    return String.format(
        "%d images (%d bad), decode %.2f s, inference %.2f s (summed over tasks)",
        images(), badImages(), decodeSeconds(), inferenceSeconds());
  }
}
