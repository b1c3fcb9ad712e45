package dev.vitmae.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitmae.runtime.Device;
import dev.vitmae.runtime.Embeddings;
import dev.vitmae.runtime.ModelOptions;
import dev.vitmae.runtime.VitModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedder gives what {@code EncoderView.embed} gives on the same files, whatever the input
 * column type.
 */
class EmbedderTest {

  @TempDir static Path dir;
  static SparkSession spark;
  static List<Path> files;

  /** File name → the runtime's embedding of the file (VitModel.pixels), all files in one batch. */
  static Map<String, float[]> expected = new HashMap<>();

  static Map<String, float[]> expectedTokens = new HashMap<>();

  @BeforeAll
  static void setUp() throws Exception {
    spark = TestSpark.spark();
    files = new ArrayList<>(TestSpark.pngs(dir, 20, 7, "a", "b", "c"));
    // Colour and 40×32: the model's preprocessing converts to gray, resizes and crops it.
    files.add(TestSpark.rgbPng(dir.resolve("c/wide-colour.png"), 40, 32, new java.util.Random(2)));
    float[] pixels = new float[files.size() * TestSpark.SIZE * TestSpark.SIZE];
    var cpu = ModelOptions.defaults().withDevice(Device.CPU);
    try (VitModel model = VitModel.open(TestSpark.model(TestSpark.ENCODER), cpu)) {
      for (int i = 0; i < files.size(); i++) {
        float[] p = model.pixels(files.get(i)); // the runtime's own image path
        System.arraycopy(p, 0, pixels, i * p.length, p.length);
      }
      Embeddings e = model.encoder().embed(pixels, files.size());
      for (int i = 0; i < files.size(); i++) {
        expected.put(files.get(i).getFileName().toString(), e.embedding(i));
        expectedTokens.put(files.get(i).getFileName().toString(), e.tokensOf(i));
      }
    }
  }

  static VitEmbedder embedder() {
    return new VitEmbedder()
        .setModelPath(TestSpark.model(TestSpark.ENCODER).toString())
        .setBatchSize(6);
  }

  /** 3 partitions of 7 rows in batches of 6 and 1: each image's bits do not depend on its batch. */
  @Test
  void binaryFileEmbeddingsEqualVitModelEmbedBitForBit() {
    Dataset<Row> images = spark.read().format("binaryFile").load(dir + "/*/*.png").repartition(3);
    List<Row> rows = embedder().setTokensCol("tokens").transform(images).collectAsList();
    assertEquals(files.size(), rows.size());
    for (Row r : rows) {
      String name = TestSpark.name(r);
      assertArrayEquals(expected.get(name), TestSpark.floats(r, "embedding"), name);
      List<scala.collection.Seq<Float>> tokens = r.getList(r.fieldIndex("tokens"));
      float[] flat = new float[expectedTokens.get(name).length];
      int at = 0;
      for (var t : tokens) for (int j = 0; j < t.length(); j++) flat[at++] = t.apply(j);
      assertEquals(flat.length, at, "tokens [n][dim] of " + name);
      assertArrayEquals(expectedTokens.get(name), flat, name);
      assertNull(r.getAs("error"));
    }
  }

  @Test
  void sparkImageSourceGivesTheSameEmbeddings() {
    Dataset<Row> images = spark.read().format("image").load(dir + "/*/*.png");
    List<Row> rows = embedder().setInputCol("image").transform(images).collectAsList();
    assertEquals(files.size(), rows.size());
    for (Row r : rows) {
      String origin = r.getStruct(r.fieldIndex("image")).getAs("origin");
      String name = origin.substring(origin.lastIndexOf('/') + 1);
      assertArrayEquals(expected.get(name), TestSpark.floats(r, "embedding"), name);
    }
  }

  @Test
  void pixelArraysGiveTheSameEmbeddings() {
    List<Row> input = new ArrayList<>();
    for (Path f : files) {
      float[] p = TestSpark.pixels(f);
      List<Float> list = new ArrayList<>(p.length);
      for (float v : p) list.add(v);
      input.add(RowFactory.create(f.getFileName().toString(), list));
    }
    StructType schema =
        new StructType()
            .add("name", DataTypes.StringType)
            .add("pixels", DataTypes.createArrayType(DataTypes.FloatType));
    Dataset<Row> df = spark.createDataFrame(input, schema).repartition(2);
    StructType declared = embedder().setInputCol("pixels").transformSchema(schema);
    Dataset<Row> out = embedder().setInputCol("pixels").transform(df);
    assertEquals(declared, out.schema());
    assertEquals(
        List.of("name", "pixels", "embedding", "error"), List.of(out.schema().fieldNames()));
    for (Row r : out.collectAsList()) {
      String name = r.getAs("name");
      assertArrayEquals(expected.get(name), TestSpark.floats(r, "embedding"), name);
    }
    assertTrue(ExecutorSessions.open() >= 1);
  }
}
