package dev.vitmae.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vitmae.runtime.Device;
import dev.vitmae.runtime.ModelOptions;
import dev.vitmae.runtime.VitModel;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Seeded masks, the MAE's reconstruction under them, and the masked-patch MSE. */
class ReconstructorTest {

  @TempDir Path dir;

  @Test
  void reconstructionsEqualVitModelUnderSeededMasksWhateverThePartitioning() {
    TestSpark.pngs(dir, 10, 8);
    Dataset<Row> files = TestSpark.spark().read().format("binaryFile").load(dir + "/*.png");
    var mae =
        new VitReconstructor().setModelPath(TestSpark.model(TestSpark.MAE).toString()).setSeed(3);
    List<Row> one = mae.setBatchSize(10).transform(files.coalesce(1)).collectAsList();
    List<Row> three = mae.setBatchSize(2).transform(files.repartition(3)).collectAsList();
    Map<String, float[]> masks = new HashMap<>();
    for (Row r : one) masks.put(TestSpark.name(r), TestSpark.floats(r, "mask"));
    try (VitModel model =
        VitModel.open(
            TestSpark.model(TestSpark.MAE), ModelOptions.defaults().withDevice(Device.CPU))) {
      for (Row r : three) {
        String name = TestSpark.name(r);
        float[] mask = TestSpark.floats(r, "mask");
        assertArrayEquals(masks.get(name), mask, name + ": same mask in another partitioning");
        float sum = 0;
        for (float m : mask) sum += m;
        assertEquals(4, sum, name + ": int(0.25 × 16) patches masked, the model's recorded ratio");

        float[] pixels = TestSpark.pixels(dir.resolve(name));
        float[] expected = model.mae().reconstruct(pixels, mask);
        float[] reconstruction = TestSpark.floats(r, "reconstruction");
        assertEquals(expected.length, reconstruction.length);
        double se = 0;
        int n = 0;
        for (int y = 0; y < 28; y++) {
          for (int x = 0; x < 28; x++) {
            int at = y * 28 + x;
            assertEquals(expected[at], reconstruction[at], 1e-6f, name);
            if (mask[(y / 7) * 4 + x / 7] == 1f) {
              se += Math.pow(reconstruction[at] - pixels[at], 2);
              n++;
            }
          }
        }
        assertEquals(4 * 49, n);
        assertEquals(se / n, (float) r.getAs("maskedMse"), 1e-6, name);
      }
    }
  }
}
