package dev.vitmae.graph.train;

/**
 * What the {@link Trainer} does to return ND4J's native memory between micro-batches.
 *
 * <p>ND4J frees an array's native buffer only when the Java garbage collector collects its owner. A
 * training step of the reference MAE allocates ~10 KB per image per op (5 GB at batch 512) while
 * the Java heap barely grows, so the collector rarely runs: resident memory climbed past 15 GB and
 * every step paid for fresh pages (4–5× slower, docs/BENCHMARKS.md). Calling the collector after
 * each micro-batch (~35 ms for a young collection) returns the buffers to the allocator. That is a
 * process-wide action, so the library leaves it off unless asked; the command line turns it on.
 */
public enum MemoryPolicy {
  /** Leave garbage collection to the JVM (the library default). */
  JVM_DEFAULT,
  /** {@code System.gc()} after every micro-batch's gradients (the command line's choice). */
  COLLECT_EACH_MICRO_BATCH
}
