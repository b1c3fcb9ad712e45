package dev.vitmae.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Random;

/** The tiny exported models under {@code src/test/resources/models} and test images for them. */
final class Fixtures {

  static final String ENCODER_FROM_MAE = "encoder-from-mae.onnx";
  static final String ENCODER_FROM_VIT = "encoder-from-vit.onnx";
  static final String MAE = "mae.onnx";
  static final String CLASSIFIER = "classifier.onnx";
  static final String PREDICTOR = "predictor.onnx";
  static final int PIXELS = 28 * 28;
  static final int PATCHES = 16;

  private Fixtures() {}

  static Path path(String name) {
    try {
      return Path.of(Fixtures.class.getResource("/models/" + name).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("missing test model " + name, e);
    }
  }

  static byte[] bytes(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/models/" + name)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static VitModel open(String name) {
    return VitModel.open(path(name), ModelOptions.defaults().withDevice(Device.CPU));
  }

  /** {@code batch} images of uniform pixels in [0, 1], seeded. */
  static float[] images(int batch, long seed) {
    Random random = new Random(seed);
    float[] images = new float[batch * PIXELS];
    for (int i = 0; i < images.length; i++) images[i] = random.nextFloat();
    return images;
  }

  /** {@code batch} masks hiding {@code masked} random patches each, seeded. */
  static float[] masks(int batch, int masked, long seed) {
    Random random = new Random(seed);
    float[] mask = new float[batch * PATCHES];
    for (int b = 0; b < batch; b++) {
      for (int n = 0; n < masked; ) {
        int p = random.nextInt(PATCHES);
        if (mask[b * PATCHES + p] == 0) {
          mask[b * PATCHES + p] = 1;
          n++;
        }
      }
    }
    return mask;
  }

  static float[] slice(float[] data, int index, int length) {
    return java.util.Arrays.copyOfRange(data, index * length, (index + 1) * length);
  }

  static float maxAbsDiff(float[] a, float[] b) {
    if (a.length != b.length) throw new AssertionError("lengths " + a.length + " != " + b.length);
    float max = 0;
    for (int i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
    return max;
  }
}
