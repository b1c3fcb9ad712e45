package dev.vitmae.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The README's "Serving from your application" snippet, as written there, on a real exported MAE.
 */
class ReadmeExampleTest {
  @Test
  void readmeSnippetServesAnMae() throws Exception {
    Path file = Fixtures.path(Fixtures.MAE);
    // --- as in README.md ---
    try (VitModel mae = VitModel.open(file, ModelOptions.defaults())) {
      float[] image = new float[mae.info().imageLength()]; // NCHW pixels in [0, 1]
      float[] mask = new float[mae.info().numPatches()]; // 1 = masked, 0 = visible
      mask[5] = 1;
      float[] reconstruction = mae.reconstruct(image, mask);
      System.out.println(mae.executionProvider()); // CPUExecutionProvider
      // --- end of the README snippet ---
      assertEquals(28 * 28, reconstruction.length);
      assertEquals("CPUExecutionProvider", mae.executionProvider());
      // Visible patches pass through: the all-black image stays black outside patch 5.
      assertEquals(0f, reconstruction[0]);
    }
  }
}
