package dev.vitmae.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The transformers save and load inside a Pipeline, params and output intact. */
class PipelineTest {

  @TempDir static Path dir;
  static SparkSession spark;
  static Dataset<Row> images;

  @BeforeAll
  static void setUp() {
    spark = TestSpark.spark();
    TestSpark.pngs(dir.resolve("images"), 10, 3);
    images = spark.read().format("binaryFile").load(dir.resolve("images") + "/*.png");
  }

  /** File name → the columns' values as text (floats print exactly). */
  static Map<String, List<String>> byName(Dataset<Row> out, String... columns) {
    Map<String, List<String>> m = new TreeMap<>();
    for (Row r : out.collectAsList()) {
      m.put(
          TestSpark.name(r),
          Stream.of(columns).map(c -> String.valueOf(r.get(r.fieldIndex(c)))).toList());
    }
    return m;
  }

  @Test
  void savedAndLoadedPipelineModelGivesTheSameOutput() throws Exception {
    var embedder =
        new VitEmbedder()
            .setModelPath(TestSpark.model(TestSpark.ENCODER).toString())
            .setBatchSize(3)
            .setOutputCol("features")
            .setDevice("cpu");
    var classifier =
        new VitClassifier()
            .setModelBytes(Files.readAllBytes(TestSpark.model(TestSpark.CLASSIFIER)))
            .setClassNames("0", "1", "2", "3", "4", "5", "6", "7", "8", "9")
            .setErrorCol("classifierError");
    var reconstructor =
        new VitReconstructor()
            .setModelPath(TestSpark.model(TestSpark.MAE).toString())
            .setMaskingRatio(0.5)
            .setSeed(42)
            .setErrorCol("maeError");
    PipelineModel fitted =
        new Pipeline()
            .setStages(new PipelineStage[] {embedder, classifier, reconstructor})
            .fit(images);
    String[] columns = {
      "features", "prediction", "className", "probabilities", "reconstruction", "mask", "maskedMse"
    };
    var before = byName(fitted.transform(images), columns);
    assertEquals(10, before.size());
    assertTrue(before.values().stream().noneMatch(v -> v.contains("null")), before.toString());

    String path = dir.resolve("pipeline-model").toString();
    fitted.write().overwrite().save(path);
    PipelineModel loaded = PipelineModel.load(path);

    assertEquals(before, byName(loaded.transform(images), columns));
    var e = assertInstanceOf(VitEmbedder.class, loaded.stages()[0]);
    assertEquals(embedder.uid(), e.uid());
    assertEquals(3, e.getBatchSize());
    assertEquals("features", e.getOutputCol());
    assertEquals("cpu", e.getDevice());
    var c = assertInstanceOf(VitClassifier.class, loaded.stages()[1]);
    assertArrayEquals(classifier.getClassNames(), c.getClassNames());
    var r = assertInstanceOf(VitReconstructor.class, loaded.stages()[2]);
    assertEquals(42, r.getSeed());
    assertEquals(0.5, r.ratio(null));
  }

  @Test
  void unfittedPipelineAndSingleStageRoundTrip() throws Exception {
    var embedder =
        new VitEmbedder()
            .setModelPath(TestSpark.model(TestSpark.ENCODER).toString())
            .setTokensCol("t");
    String path = dir.resolve("pipeline").toString();
    new Pipeline().setStages(new PipelineStage[] {embedder}).write().overwrite().save(path);
    var stage = assertInstanceOf(VitEmbedder.class, Pipeline.load(path).getStages()[0]);
    assertEquals(embedder.extractParamMap().toString(), stage.extractParamMap().toString());

    String single = dir.resolve("embedder").toString();
    embedder.write().overwrite().save(single);
    VitEmbedder loaded = VitEmbedder.load(single);
    assertEquals("t", loaded.getTokensCol());
    assertEquals(
        List.of(embedder.transformSchema(images.schema()).fieldNames()),
        List.of(loaded.transformSchema(images.schema()).fieldNames()));
  }
}
