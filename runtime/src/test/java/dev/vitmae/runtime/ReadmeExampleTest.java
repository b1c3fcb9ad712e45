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
    try (VitModel model = VitModel.open(file, ModelOptions.defaults())) {
      MaeView mae = model.mae(); // the kind is checked here, once
      float[] image = new float[mae.info().valuesPerImage()]; // NCHW pixels in [0, 1]
      float[] mask = new float[mae.info().numPatches()]; // 1 = masked, 0 = visible
      mask[5] = 1;
      float[] reconstruction = mae.reconstruct(image, mask);
      System.out.println(model.executionProvider()); // CPUExecutionProvider
      // --- end of the README snippet ---
      assertEquals(28 * 28, reconstruction.length);
      assertEquals("CPUExecutionProvider", model.executionProvider());
      // Visible patches pass through: the all-black image stays black outside patch 5.
      assertEquals(0f, reconstruction[0]);
    }
  }
}
