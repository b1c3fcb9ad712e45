package dev.vitmae.graph.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vitmae.datasets.FloatImages;
import dev.vitmae.graph.config.ViTConfig;
import dev.vitmae.graph.model.VitEncoder;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/** Probe features: concatenated tokens hold every token, and their mean is the mean pooling. */
class FeaturesTest {
  @Test
  void concatenatedTokensAverageToTheMeanFeatures() {
    ViTConfig c = ViTConfig.builder().dim(8).heads(2).dimHead(4).mlpDim(8).build(); // 16 tokens
    SameDiff encoder = VitEncoder.build(c, DataType.FLOAT, 7);
    int count = Features.BATCH + 3; // two encoder calls, the second partial
    float[] pixels = new float[count * 28 * 28];
    Random rng = new Random(1);
    for (int i = 0; i < pixels.length; i++) pixels[i] = rng.nextFloat();
    FloatImages images = FloatImages.of(pixels, 1, 28);

    float[] mean = Features.tokens(encoder, images, Features.TokenReadout.MEAN);
    float[] concat = Features.tokens(encoder, images, Features.TokenReadout.CONCAT);
    assertEquals(count * 8, mean.length);
    assertEquals(count * 16 * 8, concat.length);
    for (int image : new int[] {0, Features.BATCH - 1, Features.BATCH, count - 1}) {
      for (int d = 0; d < 8; d++) {
        double sum = 0;
        for (int t = 0; t < 16; t++) sum += concat[(image * 16 + t) * 8 + d];
        assertEquals(mean[image * 8 + d], sum / 16, 1e-5, "image " + image + ", feature " + d);
      }
    }
  }
}
