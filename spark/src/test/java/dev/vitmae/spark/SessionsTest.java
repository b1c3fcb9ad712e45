package dev.vitmae.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** One ONNX Runtime session per executor JVM, shared by its tasks, not one per partition. */
class SessionsTest {

  @Test
  void sessionsCreatedEqualExecutorsNotPartitions() {
    SparkSession spark = TestSpark.spark();
    ExecutorSessions.closeAll();
    int before = ExecutorSessions.created();
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 80; i++) {
      float[] p = new float[784];
      Arrays.fill(p, i / 100f);
      rows.add(RowFactory.create(i, p));
    }
    StructType schema =
        new StructType()
            .add("id", DataTypes.IntegerType)
            .add("pixels", DataTypes.createArrayType(DataTypes.FloatType));
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Dataset<Row> pixels = spark.createDataFrame(sc.parallelize(rows, 8), schema);
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
