package dev.vitmae.spark;

import dev.vitmae.images.Preprocessing;
import dev.vitmae.runtime.Device;
import dev.vitmae.runtime.InferenceException;
import dev.vitmae.runtime.VitModel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.resource.ResourceInformation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Runs a {@link Kernel} over a partition, on an executor: rows are read lazily, {@code batchSize}
 * at a time, their pixels written into one direct buffer, and the batch goes to the executor's
 * shared session in one run. Each input row gives one output row, in order: its columns, the
 * kernel's outputs, and the error (null, or the reason and null outputs for a bad image).
 */
final class BatchRunner implements MapPartitionsFunction<Row, Row> {

  /**
   * Direct buffers of finished partitions, reused by the next ones. Not per thread: transformers
   * chained in a pipeline run in the same task thread, each with its own buffer.
   */
  private static final ArrayDeque<FloatBuffer> POOL = new ArrayDeque<>();

  private final SessionKey key;
  private final Broadcast<byte[]> model;
  private final InputKind kind;
  private final int input;
  private final int path;
  private final int length;
  private final int batchSize;
  private final boolean failOnBadImage;
  private final Kernel<?> kernel;
  private final int outputs;
  private final VitMetrics metrics;

  BatchRunner(
      SessionKey key,
      Broadcast<byte[]> model,
      Columns columns,
      int length,
      int batchSize,
      boolean failOnBadImage,
      Kernel<?> kernel,
      VitMetrics metrics) {
    this.key = key;
    this.model = model;
    this.kind = columns.kind();
    this.input = columns.input();
    this.path = columns.path();
    this.outputs = columns.outputs();
    this.length = length;
    this.batchSize = batchSize;
    this.failOnBadImage = failOnBadImage;
    this.kernel = kernel;
    this.metrics = metrics;
  }

  /**
   * Where the runner reads and writes.
   *
   * @param kind the input column's kind
   * @param input the input column's index
   * @param path the index of a string column naming each image (for messages), or -1
   * @param outputs the kernel's output columns
   */
  record Columns(InputKind kind, int input, int path, int outputs)
      implements java.io.Serializable {}

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    return new Batches(rows);
  }

  /** The session of this executor, opened by the first task that needs it. */
  private VitModel session() {
    SessionKey k = key;
    if (key.device() != Device.CPU && TaskContext.get() != null) {
      ResourceInformation gpu = TaskContext.get().resourcesJMap().get("gpu");
      if (gpu != null && gpu.addresses().length > 0) {
        k =
            new SessionKey(
                key.sha256(),
                key.device(),
                Integer.parseInt(gpu.addresses()[0]),
                key.intraOpThreads());
      }
    }
    return ExecutorSessions.get(k, model::value);
  }

  /**
   * A direct buffer of at least {@code floats}, from the pool when one is free. By identity: a
   * buffer's {@code equals} compares its remaining contents, so {@code POOL.remove(b)} could take
   * another, equal buffer out and leave {@code b} to a second task (two tasks filling one buffer).
   */
  private static FloatBuffer take(int floats) {
    synchronized (POOL) {
      for (Iterator<FloatBuffer> it = POOL.iterator(); it.hasNext(); ) {
        FloatBuffer b = it.next();
        if (b.capacity() >= floats) {
          it.remove();
          return b.clear();
        }
      }
    }
    return ByteBuffer.allocateDirect(floats * Float.BYTES)
        .order(ByteOrder.nativeOrder())
        .asFloatBuffer();
  }

  /** Returns {@code b} to the pool. */
  private static void give(FloatBuffer b) {
    synchronized (POOL) {
      POOL.add(b);
    }
  }

  private final class Batches implements Iterator<Row> {
    private final Iterator<Row> rows;
    private final ArrayDeque<Row> ready = new ArrayDeque<>();
    private VitModel session;
    private Preprocessing preprocessing;
    private FloatBuffer pixels;

    /** Why the model refused image i of the current batch (set by onePerImage). */
    private String[] refused = new String[0];

    Batches(Iterator<Row> rows) {
      this.rows = rows;
    }

    @Override
    public boolean hasNext() {
      while (ready.isEmpty() && rows.hasNext()) nextBatch();
      if (ready.isEmpty() && pixels != null) {
        give(pixels);
        pixels = null;
      }
      return !ready.isEmpty();
    }

    @Override
    public Row next() {
      if (!hasNext()) throw new NoSuchElementException();
      return ready.poll();
    }

    private void nextBatch() {
      if (session == null) {
        session = session();
        preprocessing = session.preprocessing();
      }
      Row[] batch = new Row[batchSize];
      String[] errors = new String[batchSize];
      refused = new String[batchSize];
      int n = 0;
      int good = 0;
      if (pixels == null) pixels = take(Math.max(2, batchSize) * length);
      pixels.clear();
      long start = System.nanoTime();
      while (n < batchSize && rows.hasNext()) {
        Row row = rows.next();
        batch[n] = row;
        try {
          pixels.put(kind.pixels(kind.value(row, input), preprocessing));
          good++;
        } catch (BadRowException e) {
          if (failOnBadImage) throw new BadRowException(name(row) + ": " + e.getMessage(), e);
          errors[n] = e.getMessage();
        }
        n++;
      }
      long decoded = System.nanoTime();
      Object[][] results = new Object[0][];
      if (good > 0) {
        int run = good;
        if (good == 1) {
          // ONNX Runtime's CPU kernels can round a batch of one differently (ReduceMean of a
          // mean-pooled encoder, measured): a lone image runs twice in a batch of two, so each
          // image gets the same bits whatever rows share its batch.
          pixels.put(pixels.duplicate().flip());
          run = 2;
        }
        pixels.flip();
        try {
          results = kernel.runOn(session, pixels, run);
        } catch (IllegalArgumentException | InferenceException batchError) {
          results = onePerImage(batch, errors, n, good);
        }
      }
      long inferred = System.nanoTime();
      int bad = 0;
      for (int i = 0, r = 0; i < n; i++) {
        Object[] result = errors[i] == null ? results[r++] : null;
        // An image the model refused holds a null result in its slot (see onePerImage).
        if (errors[i] == null && result == null) errors[i] = refused[i];
        if (errors[i] != null) bad++;
        ready.add(output(batch[i], result, errors[i]));
      }
      if (metrics != null) metrics.add(n, bad, decoded - start, inferred - decoded);
    }

    /**
     * The batch was refused (an input check or ONNX Runtime failed on it): each decoded image runs
     * alone (twice in a batch of two, as a lone image always does), so only the image at fault
     * loses its result — or, with failOnBadImage, fails the task naming its file.
     */
    private Object[][] onePerImage(Row[] batch, String[] errors, int n, int good) {
      Object[][] results = new Object[good][];
      FloatBuffer one = take(2 * length);
      try {
        for (int i = 0, r = 0; i < n; i++) {
          if (errors[i] != null) continue;
          one.clear();
          FloatBuffer image = pixels.duplicate();
          image.position(r * length).limit((r + 1) * length);
          one.put(image.duplicate()).put(image).flip();
          try {
            results[r] = kernel.runOn(session, one, 2)[0];
          } catch (IllegalArgumentException | InferenceException e) {
            if (failOnBadImage)
              throw new BadRowException(
                  "image " + file(batch[i]) + ": the model refused it: " + e.getMessage(), e);
            refused[i] = "the model refused it: " + e.getMessage();
          }
          r++;
        }
      } finally {
        give(one);
      }
      return results;
    }

    private Row output(Row row, Object[] result, String error) {
      int width = row.length();
      Object[] values = new Object[width + outputs + 1];
      for (int i = 0; i < width; i++) values[i] = row.get(i);
      if (result != null) System.arraycopy(result, 0, values, width, outputs);
      values[width + outputs] = error;
      return RowFactory.create(values);
    }

    private String name(Row row) {
      return "cannot read image " + file(row);
    }

    /** The row's file (its path column, or a Spark image's origin), else its input column. */
    private String file(Row row) {
      if (path >= 0 && !row.isNullAt(path)) return String.valueOf(row.get(path));
      if (kind == InputKind.SPARK_IMAGE && !row.isNullAt(input)) {
        return String.valueOf(row.getStruct(input).<Object>getAs("origin"));
      }
      return "in column " + input;
    }
  }
}
