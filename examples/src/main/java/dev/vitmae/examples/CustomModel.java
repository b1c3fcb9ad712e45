package dev.vitmae.examples;

import dev.vitmae.api.Parity;
import dev.vitmae.api.TrainedModel;
import dev.vitmae.api.Training;
import dev.vitmae.contract.TensorNames;
import dev.vitmae.datasets.FloatImages;
import dev.vitmae.datasets.ImageSource;
import dev.vitmae.graph.config.ViTConfig;
import dev.vitmae.runtime.ModelOptions;
import dev.vitmae.runtime.VitModel;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A model of your own ({@link BrightnessTask}: a ViT encoder with a regression head) trained,
 * saved, reopened through its {@code TaskFactory} (found on the class path), exported, checked for
 * parity and served with the runtime's generic {@code run}.
 *
 * <p>{@code java dev.vitmae.examples.CustomModel OUT_DIR [IMAGES] [EPOCHS]}
 */
public final class CustomModel {
  private CustomModel() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "custom-model");
    int count = args.length > 1 ? Integer.parseInt(args[1]) : 256;
    int epochs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    ImageSource images = FloatImages.of(QuickStart.stripes(count), 3, 32);
    ViTConfig encoder =
        ViTConfig.builder()
            .imageSize(32)
            .channels(3)
            .patchSize(8)
            .dim(32)
            .heads(4)
            .dimHead(8)
            .mlpDim(64)
            .build();

    TrainedModel run =
        Training.of(new BrightnessTask(encoder))
            .epochs(epochs)
            .batchSize(32)
            .lr(1e-3)
            .evaluateOn(images.head(64))
            .fit(images);
    Path checkpoint = out.resolve("checkpoint.zip");
    run.save(checkpoint);
    // Reopened by kind: the factory is listed in META-INF/services.
    TrainedModel reopened = TrainedModel.load(checkpoint);
    List<Path> files = reopened.exportOnnx(out.resolve("onnx"));
    Parity.Report parity = reopened.parity(out.resolve("onnx"), images, 16, 1e-5);
    System.out.printf(
        Locale.ROOT,
        "exported %s; parity %s (worst %.2g)%n",
        files,
        parity.ok() ? "OK" : "FAILED",
        parity.worst());
    try (VitModel model = VitModel.open(files.get(0), ModelOptions.defaults())) {
      float[] image = images.image(0);
      float predicted =
          model.run(Map.of(TensorNames.IMAGES, image), 1).get(BrightnessTask.OUTPUT).data()[0];
      double actual = 0;
      for (float v : image) actual += v / image.length;
      System.out.printf(
          Locale.ROOT,
          "%s model: predicted brightness %.3f, actual %.3f%n",
          model.info().name(),
          predicted,
          actual);
    }
    if (!parity.ok()) throw new IllegalStateException("parity failed: " + parity);
  }
}
