package dev.vitmae.examples;

import dev.vitmae.api.TrainedModel;
import dev.vitmae.api.Training;
import dev.vitmae.datasets.FloatImages;
import dev.vitmae.datasets.ImageSource;
import dev.vitmae.graph.config.MaeConfig;
import dev.vitmae.graph.train.MemoryPolicy;
import dev.vitmae.runtime.ModelOptions;
import dev.vitmae.runtime.VitModel;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Declare → train → export → serve: an RGB 32×32 MAE trained on images held in a {@code float[]},
 * exported to ONNX, its encoder served by ONNX Runtime.
 *
 * <p>{@code java dev.vitmae.examples.QuickStart OUT_DIR [IMAGES] [EPOCHS]}
 */
public final class QuickStart {
  private QuickStart() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "quickstart");
    int count = args.length > 1 ? Integer.parseInt(args[1]) : 256;
    int epochs = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    ImageSource images = FloatImages.of(stripes(count), 3, 32);

    // Declare: every number named, the rest from the reference design.
    MaeConfig mae =
        MaeConfig.builder()
            .imageSize(32)
            .channels(3)
            .patchSize(4)
            .dim(64)
            .depth(2)
            .maskingRatio(0.75)
            .decoderDim(64)
            .build();
    // Train: checkpoints and metrics in out/run, nothing else written.
    TrainedModel run =
        Training.of(mae)
            .epochs(epochs)
            .batchSize(32)
            .lr(1e-3)
            .runDirectory(out.resolve("run"))
            .memoryPolicy(MemoryPolicy.COLLECT_EACH_MICRO_BATCH)
            .fit(images);
    // Export: every model an MAE provides.
    System.out.println("exported " + run.exportOnnx(out.resolve("onnx")));
    // Serve: ONNX Runtime, no ND4J needed on this side.
    try (VitModel encoder =
        VitModel.open(out.resolve("onnx/encoder.onnx"), ModelOptions.defaults())) {
      float[] embedding = encoder.encoder().embed(images.image(0)).embedding();
      System.out.printf(
          "embedding of image 0: %d floats, first %.4f (%s)%n",
          embedding.length, embedding[0], encoder.executionProvider());
    }
  }

  /** Colourful seeded stripes: something with structure to reconstruct. */
  static float[] stripes(int count) {
    SplittableRandom rng = new SplittableRandom(1);
    float[] px = new float[count * 3 * 32 * 32];
    for (int i = 0; i < count; i++) {
      double angle = rng.nextDouble(Math.PI);
      double freq = 0.1 + 0.3 * rng.nextDouble();
      for (int c = 0; c < 3; c++) {
        double phase = rng.nextDouble(2 * Math.PI);
        for (int y = 0; y < 32; y++) {
          for (int x = 0; x < 32; x++) {
            double t = (x * Math.cos(angle) + y * Math.sin(angle)) * freq + phase;
            px[((i * 3 + c) * 32 + y) * 32 + x] = (float) (0.5 + 0.5 * Math.sin(t));
          }
        }
      }
    }
    return px;
  }
}
