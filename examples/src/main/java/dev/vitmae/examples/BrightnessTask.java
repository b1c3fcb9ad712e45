package dev.vitmae.examples;

import dev.vitmae.contract.MetadataKey;
import dev.vitmae.contract.TensorNames;
import dev.vitmae.datasets.ImageSource;
import dev.vitmae.graph.config.Pooling;
import dev.vitmae.graph.config.RecordJson;
import dev.vitmae.graph.config.ViTConfig;
import dev.vitmae.graph.model.Names;
import dev.vitmae.graph.model.VitEncoder;
import dev.vitmae.graph.nn.Layers;
import dev.vitmae.graph.nn.Net;
import dev.vitmae.graph.train.Batch;
import dev.vitmae.graph.train.Forwards;
import dev.vitmae.graph.train.InferenceModel;
import dev.vitmae.graph.train.Task;
import dev.vitmae.graph.train.TaskFactory;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A model that is not one of vitmae's kinds, built from the public {@code nn} blocks as a user
 * would: a mean-pooled ViT encoder with a two-layer regression head that predicts each image's mean
 * brightness (MSE against the mean of its own pixels, so it needs no labels).
 */
public record BrightnessTask(ViTConfig encoder) implements Task {
  public static final String KIND = "brightness";
  public static final String OUTPUT = "brightness";

  /**
   * Rebuilds the task from a checkpoint's config; listed in {@code
   * META-INF/services/dev.vitmae.graph.train.TaskFactory}, so {@code Tasks.of(checkpoint)} finds it
   * on the class path.
   */
  public static final class Factory implements TaskFactory {
    @Override
    public String kind() {
      return KIND;
    }

    @Override
    public Task fromConfig(String configJson) {
      return new BrightnessTask(RecordJson.read(ViTConfig.class, configJson));
    }
  }

  public BrightnessTask {
    encoder = encoder.withPool(Pooling.MEAN);
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public String configJson() {
    return RecordJson.write(encoder);
  }

  /** images → encoder → head → brightness [B, 1]; with {@code loss} when {@code training}. */
  private SameDiff graph(DataType dtype, long seed, boolean training) {
    Net net = new Net(SameDiff.create(), dtype, seed);
    SameDiff sd = net.sd();
    SDVariable images =
        net.input(
            TensorNames.IMAGES, -1, encoder.channels(), encoder.imageSize(), encoder.imageSize());
    SDVariable pooled = VitEncoder.encode(net, encoder, images).embedding();
    SDVariable hidden =
        Layers.gelu(
            sd,
            Layers.linear(
                net,
                "head/hidden",
                sd.reshape(pooled, -1, 1, encoder.dim()),
                1,
                encoder.dim(),
                32,
                true));
    SDVariable out = sd.reshape(Layers.linear(net, "head/out", hidden, 1, 32, 1, true), -1, 1);
    sd.identity(OUTPUT, out);
    if (training) {
      SDVariable target =
          sd.mean(
              sd.reshape(
                  images, -1, encoder.channels() * encoder.imageSize() * encoder.imageSize()),
              true,
              1);
      SDVariable d = out.sub(target);
      sd.mean(Names.LOSS, d.mul(d));
      sd.setLossVariables(Names.LOSS);
    }
    return sd;
  }

  @Override
  public SameDiff build(DataType dtype, long seed) {
    return graph(dtype, seed, true);
  }

  @Override
  public List<InferenceModel> inferenceModels() {
    Map<String, String> meta =
        InferenceModel.merge(
            InferenceModel.imageMetadata(encoder),
            Map.ofEntries(
                MetadataKey.text("brightness")
                    .entry("float32 [batch, 1]: predicted mean pixel value in [0, 1]")));
    return List.of(
        new InferenceModel(
            OUTPUT,
            List.of(OUTPUT),
            InferenceModel.Weights.PARAMS,
            meta,
            dtype -> graph(dtype, 0, false)));
  }

  @Override
  public Map<String, INDArray> feeds(Batch batch) {
    return Map.of(TensorNames.IMAGES, batch.images());
  }

  @Override
  public String metricName() {
    return "test_mse";
  }

  @Override
  public double evaluate(SameDiff sd, Forwards forwards, ImageSource data, int batchSize) {
    double sum = 0;
    for (int from = 0; from < data.count(); from += batchSize) {
      int[] idx = Task.range(from, Math.min(data.count(), from + batchSize));
      sum +=
          forwards.output(sd, feeds(Batch.read(data, idx, 0)), Names.LOSS).getDouble(0)
              * idx.length;
    }
    return sum / data.count();
  }
}
