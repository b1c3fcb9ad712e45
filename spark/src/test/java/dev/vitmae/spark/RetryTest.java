package dev.vitmae.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A task that Spark retries writes the same rows as a run without failures. */
class RetryTest {

  @TempDir Path dir;

  /**
   * Failures injected (local mode: the tasks run in this JVM; a failed task's accumulators are
   * dropped).
   */
  static final AtomicInteger FAILURES = new AtomicInteger();

  /** Passes rows through, but the first attempt of partition 1 dies after 3 rows. */
  record FailFirstAttempt() implements MapPartitionsFunction<Row, Row> {
    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
      TaskContext task = TaskContext.get();
      List<Row> out = new ArrayList<>();
      while (rows.hasNext()) {
        out.add(rows.next());
        if (task.partitionId() == 1 && task.attemptNumber() == 0 && out.size() == 3) {
          FAILURES.incrementAndGet();
          throw new IllegalStateException("injected failure of the first attempt");
        }
      }
      return out.iterator();
    }
  }

  static Map<String, String> byName(List<Row> rows) {
    Map<String, String> m = new TreeMap<>();
    for (Row r : rows)
      m.put(
          TestSpark.name(r),
          r.getList(r.fieldIndex("mask"))
              + " "
              + r.getAs("maskedMse")
              + " "
              + r.getList(r.fieldIndex("reconstruction")));
    return m;
  }

  @Test
  void retriedTaskProducesTheSameRows() {
    SparkSession spark = TestSpark.spark();
    TestSpark.pngs(dir, 12, 5);
    Dataset<Row> files = spark.read().format("binaryFile").load(dir + "/*.png").repartition(2);
    var mae =
        new VitReconstructor()
            .setModelPath(TestSpark.model(TestSpark.MAE).toString())
            .setBatchSize(5)
            .setSeed(9);
    Dataset<Row> out = mae.transform(files);
    Map<String, String> clean = byName(out.collectAsList());

    List<Row> retried =
        out.mapPartitions(new FailFirstAttempt(), Encoders.row(out.schema())).collectAsList();

    assertEquals(1, FAILURES.get());
    assertEquals(12, retried.size());
    assertEquals(clean, byName(retried));
  }
}
