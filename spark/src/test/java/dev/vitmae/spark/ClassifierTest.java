package dev.vitmae.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.vitmae.contract.ModelKind;
import dev.vitmae.runtime.Device;
import dev.vitmae.runtime.ModelInfo;
import dev.vitmae.runtime.ModelOptions;
import dev.vitmae.runtime.TensorSpec;
import dev.vitmae.runtime.VitModel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The classifier's class is ClassifierView.predict's, its probabilities the softmax of the logits.
 */
class ClassifierTest {

  @TempDir Path dir;

  @Test
  void predictionsEqualVitModelPredictWithNamesAndProbabilities() {
    List<Path> files = TestSpark.pngs(dir, 9, 21);
    String[] names = {
      "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"
    };
    var classifier =
        new VitClassifier()
            .setModelPath(TestSpark.model(TestSpark.CLASSIFIER).toString())
            .setClassNames(names)
            .setBatchSize(4);
    var df = TestSpark.spark().read().format("binaryFile").load(dir + "/*.png");
    assertEquals(
        List.of(
            "path",
            "modificationTime",
            "length",
            "content",
            "prediction",
            "className",
            "probabilities",
            "error"),
        List.of(classifier.transformSchema(df.schema()).fieldNames()));
    List<Row> rows = classifier.transform(df).collectAsList();
    assertEquals(files.size(), rows.size());
    try (VitModel model =
        VitModel.open(
            TestSpark.model(TestSpark.CLASSIFIER),
            ModelOptions.defaults().withDevice(Device.CPU))) {
      for (Row r : rows) {
        float[] pixels = TestSpark.pixels(dir.resolve(TestSpark.name(r)));
        float[] logits = model.classifier().classify(pixels);
        int expected = model.classifier().predict(pixels);
        assertEquals(expected, (int) r.getAs("prediction"));
        assertEquals(names[expected], r.getAs("className"));
        float[] p = TestSpark.floats(r, "probabilities");
        double sum = 0;
        for (int c = 0; c < p.length; c++) {
          sum += p[c];
          assertEquals(Math.exp(logits[c] - logits[expected]) * p[expected], p[c], 1e-6);
        }
        assertEquals(1.0, sum, 1e-5);
        assertNull(r.getAs("error"));
      }
    }
    var unnamed = classifier.copy(new org.apache.spark.ml.param.ParamMap());
    unnamed.clear(unnamed.classNames());
    for (Row r : unnamed.transform(df).collectAsList()) {
      assertNull(r.getAs("className"), "the test model records no class names");
      assertEquals(10, TestSpark.floats(r, "probabilities").length);
    }
  }

  @Test
  void classNamesRecordedByTheModelAreUsedWhenNoneAreSet() {
    var logits = new TensorSpec("logits", "FLOAT", new long[] {-1, 3});
    var images = new TensorSpec("images", "FLOAT", new long[] {-1, 1, 28, 28});
    var names = Map.of("vitmae.class.0", "cat", "vitmae.class.1", "dog", "vitmae.class.2", "owl");
    var info =
        new ModelInfo(
            ModelKind.CLASSIFIER,
            "classifier",
            28,
            1,
            7,
            16,
            Map.of("images", images),
            Map.of("logits", logits),
            names);
    assertArrayEquals(new String[] {"cat", "dog", "owl"}, VitClassifier.recordedNames(info));
    var two =
        new ModelInfo(
            ModelKind.CLASSIFIER,
            "classifier",
            28,
            1,
            7,
            16,
            Map.of("images", images),
            Map.of("logits", logits),
            Map.of("vitmae.class.0", "cat", "vitmae.class.1", "dog"));
    assertNull(VitClassifier.recordedNames(two), "not one name per class");
  }
}
