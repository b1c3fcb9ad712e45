package dev.vitmae.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.vitmae.runtime.Device;
import dev.vitmae.runtime.ModelOptions;
import dev.vitmae.runtime.VitModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job main writes Parquet that reads back with the expected schema, counts and values. */
class SparkJobTest {

  @TempDir static Path dir;
  static SparkSession spark;
  static Path images;

  @BeforeAll
  static void setUp() {
    spark = TestSpark.spark();
    images = dir.resolve("images");
    TestSpark.pngs(images, 12, 31, "cats", "dogs", "owls");
    TestSpark.garbage(images.resolve("dogs/broken.png"));
  }

  static String glob() {
    return images + "/*/*.png";
  }

  @Test
  void embedWritesPathLabelEmbeddingAndError() throws Exception {
    String out = dir.resolve("embeddings.parquet").toString();
    String encoder = TestSpark.model(TestSpark.ENCODER).toString();
    assertEquals(
        0,
        SparkJob.run(
            "embed", "--model", encoder, "--images", glob(), "--out", out, "--batch-size", "5"));

    Dataset<Row> read = spark.read().parquet(out);
    assertEquals(
        List.of("path", "label", "embedding", "error"), List.of(read.schema().fieldNames()));
    assertEquals("array<float>", read.schema().apply("embedding").dataType().simpleString());
    List<Row> rows = read.collectAsList();
    assertEquals(13, rows.size());
    Set<String> labels = new TreeSet<>();
    try (VitModel model =
        VitModel.open(
            TestSpark.model(TestSpark.ENCODER), ModelOptions.defaults().withDevice(Device.CPU))) {
      for (Row r : rows) {
        labels.add(r.getAs("label"));
        Path file = images.resolve((String) r.getAs("label")).resolve(TestSpark.name(r));
        if (TestSpark.name(r).equals("broken.png")) {
          assertNull(r.getAs("embedding"));
          assertNotNull(r.getAs("error"));
          continue;
        }
        assertNull(r.getAs("error"));
        float[] two = new float[2 * 784];
        float[] pixels = TestSpark.pixels(file);
        System.arraycopy(pixels, 0, two, 0, 784);
        System.arraycopy(pixels, 0, two, 784, 784);
        assertArrayEquals(
            model.encoder().embed(two, 2).embedding(0),
            TestSpark.floats(r, "embedding"),
            file.toString());
      }
    }
    assertEquals(Set.of("cats", "dogs", "owls"), labels);
  }

  @Test
  void classifyWritesPredictionClassNameAndProbabilities() {
    String out = dir.resolve("classes.parquet").toString();
    String names = "a,b,c,d,e,f,g,h,i,j";
    String classifier = TestSpark.model(TestSpark.CLASSIFIER).toString();
    int code =
        SparkJob.run(
            "classify",
            "--model",
            classifier,
            "--images",
            images + "/cats/*.png",
            "--out",
            out,
            "--class-names",
            names);
    assertEquals(0, code);
    Dataset<Row> read = spark.read().parquet(out);
    assertEquals(
        List.of("path", "label", "prediction", "className", "probabilities", "error"),
        List.of(read.schema().fieldNames()));
    assertEquals(4, read.count());
    // Files not in class folders (the glob's last folder is fixed): the label column is null.
    assertEquals(4, read.filter("label IS NULL").count());
    assertEquals(
        0,
        read.filter("error IS NOT NULL OR className IS NULL OR size(probabilities) != 10").count());
  }

  @Test
  void failOnBadImageFailsAndWritesNothing() {
    String out = dir.resolve("failed.parquet").toString();
    String encoder = TestSpark.model(TestSpark.ENCODER).toString();
    assertEquals(
        1,
        SparkJob.run(
            "embed", "--model", encoder, "--images", glob(), "--out", out, "--fail-on-bad-image"));
    assertFalse(Files.exists(Path.of(out, "_SUCCESS")));
  }

  @Test
  void badModelOrCommandLineFailsWithACode() {
    String out = dir.resolve("never.parquet").toString();
    String encoder = TestSpark.model(TestSpark.ENCODER).toString();
    assertEquals(1, SparkJob.run("classify", "--model", encoder, "--images", glob(), "--out", out));
    assertEquals(
        1,
        SparkJob.run("embed", "--model", dir + "/missing.onnx", "--images", glob(), "--out", out));
    assertEquals(
        1,
        SparkJob.run("embed", "--model", encoder, "--images", dir + "/none/*.png", "--out", out));
    assertEquals(2, SparkJob.run("embed", "--images", glob(), "--out", out));
    assertEquals(2, SparkJob.run("reconstruct", "--model", encoder));
    assertFalse(Files.exists(Path.of(out)));
  }

  @Test
  void labelsComeFromTheFolderUnderTheGlobRoot() {
    assertEquals("cats", ImageFiles.label("file:/data", "file:/data/cats/x/1.png"));
    assertNull(ImageFiles.label("file:/data", "file:/data/1.png"));
    var conf = spark.sparkContext().hadoopConfiguration();
    assertEquals(true, ImageFiles.of(images + "/*/*.png", conf).labelled());
    assertEquals(false, ImageFiles.of(images + "/cats/*.png", conf).labelled());
    var folder = ImageFiles.of(images.toString(), conf);
    assertEquals(true, folder.recursive());
    assertEquals("file:" + images, folder.root());
  }
}
