package dev.vitmae.datasets;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fills the batches of one epoch on a bounded pool of threads, {@code depth} batches ahead of the
 * consumer: at most {@code depth + 1} batches of floats exist at once (those in flight or ready,
 * and the one the consumer holds), whatever the size of the dataset.
 *
 * <pre>{@code
 * try (BatchLoader loader = BatchLoader.open(source.forEpoch(seed, epoch), batches, 2, 4)) {
 *   while (loader.hasNext()) {
 *     BatchLoader.Batch b = loader.next();   // b.images(): [n, C, H, W] floats in [0, 1]
 *   }
 * }
 * }</pre>
 *
 * <p>A failure to read an image is thrown by {@link #next()} for the batch that holds it (an {@link
 * ImageSourceException} naming the file and the reason) and closes the loader. {@link #close()}
 * never waits for running reads; pool threads are daemons. Not thread-safe: one consumer.
 */
public final class BatchLoader implements Iterator<BatchLoader.Batch>, AutoCloseable {
  private static final AtomicInteger POOLS = new AtomicInteger();

  /**
   * One filled batch.
   *
   * @param number position in the epoch's batch list
   * @param indices image indices, in order
   * @param images {@code [indices.length, C, H, W]} floats in [0, 1]
   * @param labels class ids of the images, or null when the source has no labels
   */
  public record Batch(int number, int[] indices, float[] images, int[] labels) {}

  private final ImageSource source;
  private final List<int[]> batches;
  private final ExecutorService pool;
  private final ArrayDeque<Future<Batch>> pending = new ArrayDeque<>();
  private int submitted;
  private int consumed;
  private boolean closed;

  private BatchLoader(ImageSource source, List<int[]> batches, int threads, int depth) {
    this.source = Objects.requireNonNull(source, "source");
    this.batches = List.copyOf(batches);
    int pool = POOLS.incrementAndGet();
    AtomicInteger n = new AtomicInteger();
    this.pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "vitmae-loader-" + pool + "-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    while (submitted < Math.min(depth, this.batches.size())) submitNext();
    if (this.batches.isEmpty()) this.pool.shutdown();
  }

  /**
   * Starts filling {@code batches} (each an array of image indices) of {@code source}.
   *
   * @throws IllegalArgumentException if {@code threads} or {@code depth} is below 1
   */
  public static BatchLoader open(ImageSource source, List<int[]> batches, int threads, int depth) {
    if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    if (depth < 1) throw new IllegalArgumentException("prefetch depth must be >= 1, got " + depth);
    return new BatchLoader(source, batches, threads, depth);
  }

  @Override
  public boolean hasNext() {
    ensureOpen();
    return consumed < batches.size();
  }

  /**
   * The next batch, waiting for it if needed.
   *
   * @throws ImageSourceException when an image of it cannot be read (the loader is then closed)
   * @throws IllegalStateException after {@link #close()}, or when interrupted while waiting
   */
  @Override
  public Batch next() {
    if (!hasNext())
      throw new NoSuchElementException("all " + batches.size() + " batches were read");
    Future<Batch> future = pending.poll();
    consumed++;
    if (submitted < batches.size()) submitNext();
    try {
      return future.get();
    } catch (ExecutionException e) {
      close();
      Throwable cause = e.getCause();
      if (cause instanceof ImageSourceException ise) {
        throw new ImageSourceException("batch " + (consumed - 1) + ": " + ise.getMessage(), ise);
      }
      if (cause instanceof RuntimeException re) throw re;
      if (cause instanceof Error err) throw err;
      throw new ImageSourceException(
          source.name() + ": batch " + (consumed - 1) + ": " + cause, cause);
    } catch (InterruptedException e) {
      close();
      Thread.currentThread().interrupt();
      throw new IllegalStateException(
          source.name() + ": interrupted while waiting for batch " + (consumed - 1), e);
    }
  }

  /** Cancels the batches not yet read and stops the pool, without waiting. Idempotent. */
  @Override
  public void close() {
    if (closed) return;
    closed = true;
    for (Future<Batch> f : pending) f.cancel(true);
    pending.clear();
    pool.shutdownNow();
  }

  private void submitNext() {
    int number = submitted++;
    int[] indices = batches.get(number).clone();
    pending.add(
        pool.submit(
            () -> {
              float[] images =
                  new float[Math.multiplyExact(indices.length, source.valuesPerImage())];
              source.fill(indices, images, 0);
              return new Batch(
                  number, indices, images, source.hasLabels() ? source.labels(indices) : null);
            }));
    if (submitted == batches.size()) pool.shutdown(); // the running fills finish, threads end
  }

  private void ensureOpen() {
    if (closed)
      throw new IllegalStateException("the batch loader of " + source.name() + " is closed");
  }
}
