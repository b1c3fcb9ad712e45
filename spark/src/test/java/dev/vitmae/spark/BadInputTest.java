package dev.vitmae.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.spark.SparkException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad files give a row with the reason, or fail naming the file; a bad model fails on the driver.
 */
class BadInputTest {

  @TempDir static Path dir;
  static SparkSession spark;
  static Dataset<Row> files;

  @BeforeAll
  static void setUp() {
    spark = TestSpark.spark();
    TestSpark.pngs(dir, 6, 11);
    TestSpark.garbage(dir.resolve("broken.png"));
    TestSpark.png(dir.resolve("big.png"), 32, new Random(1));
    files = spark.read().format("binaryFile").load(dir + "/*.png");
  }

  static VitEmbedder embedder() {
    return new VitEmbedder()
        .setModelPath(TestSpark.model(TestSpark.ENCODER).toString())
        .setBatchSize(4);
  }

  @Test
  void undecodableFileGivesANullResultAndTheReason() {
    Map<String, Row> rows = new TreeMap<>();
    for (Row r : embedder().transform(files).collectAsList()) rows.put(TestSpark.name(r), r);
    assertEquals(8, rows.size()); // 6 images, broken.png, big.png (32×32: resized and cropped)
    Row broken = rows.get("broken.png");
    assertNull(broken.getAs("embedding"));
    String reason = broken.getAs("error");
    assertTrue(reason.contains("not an image"), reason);
    for (var e : rows.entrySet()) {
      if (!e.getKey().equals("broken.png")) {
        assertNull(e.getValue().getAs("error"), e.getKey());
        assertEquals(16, TestSpark.floats(e.getValue(), "embedding").length);
      }
    }
  }

  @Test
  void failOnBadImageFailsTheJobNamingTheFile() {
    var failing = embedder().setFailOnBadImage(true).transform(files);
    SparkException e = assertThrows(SparkException.class, failing::collectAsList);
    assertTrue(e.getMessage().contains("broken.png"), e.getMessage());
    assertTrue(SparkJob.reason(e).startsWith("cannot read image file:"), SparkJob.reason(e));
  }

  @Test
  void missingModelFailsOnTheDriverBeforeAnyJob() {
    var missing = new VitEmbedder().setModelPath(dir.resolve("nope.onnx").toString());
    var e = assertThrows(IllegalArgumentException.class, () -> missing.transform(files));
    assertTrue(
        e.getMessage().contains("model file not found") && e.getMessage().contains("nope.onnx"),
        e.getMessage());
    var none =
        assertThrows(IllegalArgumentException.class, () -> new VitEmbedder().transform(files));
    assertEquals("VitEmbedder: set modelPath or modelBytes", none.getMessage());
  }

  @Test
  void wrongKindOfModelFailsOnTheDriver() {
    String encoder = TestSpark.model(TestSpark.ENCODER).toString();
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new VitClassifier().setModelPath(encoder).transform(files));
    assertEquals(
        "VitClassifier needs a classifier model, but " + encoder + " is an encoder model",
        e.getMessage());
    var names =
        new VitClassifier()
            .setModelPath(TestSpark.model(TestSpark.CLASSIFIER).toString())
            .setClassNames("a", "b");
    var n = assertThrows(IllegalArgumentException.class, () -> names.transform(files));
    assertTrue(n.getMessage().endsWith("has 10 classes, classNames has 2"), n.getMessage());
    var notOnnx = new VitEmbedder().setModelPath(dir.resolve("broken.png").toString());
    var o = assertThrows(IllegalArgumentException.class, () -> notOnnx.transform(files));
    assertTrue(o.getMessage().contains("broken.png"), o.getMessage());
  }

  @Test
  void wrongColumnsAreRefusedWhenTheSchemaIsChecked() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> embedder().setInputCol("length").transformSchema(files.schema()));
    assertTrue(
        e.getMessage().startsWith("input column 'length' has type bigint; expected binary"),
        e.getMessage());
    var missing =
        assertThrows(
            IllegalArgumentException.class,
            () -> embedder().setInputCol("pixels").transformSchema(files.schema()));
    assertTrue(
        missing.getMessage().startsWith("input column 'pixels' not found"), missing.getMessage());
    var clash =
        assertThrows(
            IllegalArgumentException.class,
            () -> embedder().setOutputCol("path").transformSchema(files.schema()));
    assertEquals("output column 'path' already exists in the input", clash.getMessage());
    assertThrows(IllegalArgumentException.class, () -> embedder().setBatchSize(0));
    assertThrows(IllegalArgumentException.class, () -> embedder().setDevice("tpu"));
    assertNotNull(embedder().transformSchema(files.schema()));
  }

  @Test
  void badPixelArraysGiveRowsWithTheReason() {
    Dataset<Row> pixels =
        spark.sql(
            "SELECT 'short' AS name, array(CAST(0.5 AS FLOAT)) AS pixels UNION ALL "
                + "SELECT 'nan', array_repeat(CAST('NaN' AS FLOAT), 784) UNION ALL "
                + "SELECT 'null', CAST(NULL AS ARRAY<FLOAT>)");
    List<Row> rows = embedder().setInputCol("pixels").transform(pixels).collectAsList();
    assertEquals(3, rows.size());
    for (Row r : rows) {
      assertNull(r.getAs("embedding"));
      assertNotNull(r.getAs("error"), (String) r.getAs("name"));
    }
  }
}
