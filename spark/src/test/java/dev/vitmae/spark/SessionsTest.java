package dev.vitmae.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** One ONNX Runtime session per executor JVM, shared by its tasks, not one per partition. */
class SessionsTest {

  @Test
  void sessionsCreatedEqualExecutorsNotPartitions() {
    SparkSession spark = TestSpark.spark();
    ExecutorSessions.closeAll();
    int before = ExecutorSessions.created();
    Dataset<Row> pixels =
        spark.sql(
            "SELECT id, array_repeat(CAST(id / 100.0 AS FLOAT), 784) AS pixels FROM range(0, 80, 1,"
                + " 8)");
    var embedder =
        new VitEmbedder()
            .setModelPath(TestSpark.model(TestSpark.ENCODER).toString())
            .setInputCol("pixels")
            .setBatchSize(4);
    assertEquals(8, pixels.rdd().getNumPartitions());
    assertEquals(80, embedder.transform(pixels).filter("error IS NULL").count());
    assertEquals(80, embedder.transform(pixels).filter("error IS NULL").count());

    // Local mode: one executor, the driver JVM, running 2 tasks at a time over 8 partitions, twice.
    int executors = spark.sparkContext().statusTracker().getExecutorInfos().length;
    assertEquals(1, executors);
    assertEquals(executors, ExecutorSessions.created() - before);
    assertEquals(1, ExecutorSessions.open());
  }
}
