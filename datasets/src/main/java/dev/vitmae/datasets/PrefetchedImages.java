package dev.vitmae.datasets;

import java.util.Arrays;
import java.util.List;

/**
 * An epoch's view of a source whose batches are decoded ahead by a {@link BatchLoader}: a {@link
 * #fill} of the next planned batch copies the prefetched pixels; any other request is read from the
 * source directly. Memory stays bounded by the loader's depth, not the dataset's size. Not for
 * concurrent use: one trainer thread consumes the batches in order. Close it at the end of the
 * epoch.
 */
public final class PrefetchedImages extends ForwardingImages implements AutoCloseable {
  private final BatchLoader loader;

  private PrefetchedImages(ImageSource source, BatchLoader loader) {
    super(source);
    this.loader = loader;
  }

  /**
   * Prefetches {@code batches} of {@code source} (in order) on {@code threads}, {@code depth}
   * ahead.
   */
  public static PrefetchedImages open(
      ImageSource source, List<int[]> batches, int threads, int depth) {
    return new PrefetchedImages(source, BatchLoader.open(source, batches, threads, depth));
  }

  @Override
  public void fill(int[] indices, float[] dst, int offset) {
    if (loader.hasNext()) {
      BatchLoader.Batch next = loader.next();
      if (Arrays.equals(next.indices(), indices)) {
        ImageSource.checkDestination(this, indices.length, dst, offset);
        System.arraycopy(next.images(), 0, dst, offset, next.images().length);
        return;
      }
      throw new IllegalStateException(
          "batches requested out of the planned order: expected "
              + Arrays.toString(next.indices())
              + ", got "
              + Arrays.toString(indices));
    }
    source.fill(indices, dst, offset);
  }

  @Override
  public void close() {
    loader.close();
  }
}
