package dev.vitmae.graph.train;

import dev.vitmae.contract.MetadataKey;
import dev.vitmae.contract.TensorNames;
import dev.vitmae.datasets.ImageSource;
import dev.vitmae.graph.config.RecordJson;
import dev.vitmae.graph.config.TrainConfig;
import dev.vitmae.graph.config.ViTConfig;
import dev.vitmae.graph.model.Names;
import dev.vitmae.graph.model.VitClassifier;
import dev.vitmae.graph.model.VitEncoder;
import dev.vitmae.graph.nn.DropPath;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Supervised ViT classification: cross-entropy, scored by test accuracy.
 *
 * @param labelSmoothing ε of {@link TrainConfig#labelSmoothing()}: the targets fed are {@code (1 −
 *     ε)·onehot + ε/K}, which makes the graph's soft-label cross-entropy label-smoothed (a training
 *     setting: not part of {@link #configJson()}, set by {@link #trainedWith})
 * @param dropPath the stochastic-depth rate of {@link TrainConfig#dropPath()}: above 0 the training
 *     graph takes {@link Names#DROP_PATH}, fed per batch from its seed ({@link DropPath#keep}) and
 *     all ones when evaluating (a training setting like {@code labelSmoothing}; the inference
 *     models have no such input)
 */
public record VitTask(ViTConfig config, double labelSmoothing, double dropPath) implements Task {
  public VitTask {
    if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
      throw new IllegalArgumentException(
          "labelSmoothing must be within [0, 1), got " + labelSmoothing);
    }
    DropPath.checkRate(dropPath);
  }

  /** Label-smoothed cross-entropy, no stochastic depth. */
  public VitTask(ViTConfig config, double labelSmoothing) {
    this(config, labelSmoothing, 0);
  }

  /** Plain cross-entropy on one-hot targets. */
  public VitTask(ViTConfig config) {
    this(config, 0);
  }

  @Override
  public VitTask trainedWith(TrainConfig train) {
    return new VitTask(config, train.labelSmoothing(), train.dropPath());
  }

  @Override
  public String kind() {
    return Tasks.VIT;
  }

  @Override
  public boolean needsLabels() {
    return true;
  }

  /** {@code encoder} and {@code classifier} ({@code images} → {@code logits}). */
  @Override
  public List<InferenceModel> inferenceModels() {
    return List.of(
        encoderModel(config, InferenceModel.Weights.PARAMS, Map.of()),
        new InferenceModel(
            InferenceModel.CLASSIFIER,
            List.of(TensorNames.LOGITS),
            InferenceModel.Weights.PARAMS,
            InferenceModel.merge(
                InferenceModel.imageMetadata(config),
                Map.ofEntries(MetadataKey.NUM_CLASSES.entry(config.numClasses()))),
            dtype -> VitClassifier.build(config, dtype, 0)));
  }

  /**
   * The {@code encoder} model of any task with a ViT encoder: {@code images} → {@code tokens}
   * {@code [B, n(+1), dim]}, {@code embedding [B, dim]}.
   */
  static InferenceModel encoderModel(
      ViTConfig encoder, InferenceModel.Weights weights, Map<String, String> extra) {
    Map<String, String> meta =
        InferenceModel.merge(
            InferenceModel.imageMetadata(encoder),
            Map.ofEntries(
                MetadataKey.POOL.entry(encoder.pool().name().toLowerCase(java.util.Locale.ROOT))));
    return new InferenceModel(
        InferenceModel.ENCODER,
        List.of(TensorNames.TOKENS, TensorNames.EMBEDDING),
        weights,
        InferenceModel.merge(meta, extra),
        dtype -> VitEncoder.build(encoder, dtype, 0));
  }

  @Override
  public String configJson() {
    return RecordJson.write(config);
  }

  @Override
  public SameDiff build(DataType dtype, long seed) {
    return VitClassifier.build(config, dtype, seed, dropPath > 0);
  }

  @Override
  public void checkData(ImageSource data) {
    if (data.numClasses() > config.numClasses()) {
      throw new IllegalArgumentException(
          data.name()
              + " has "
              + data.numClasses()
              + " classes but the classifier has "
              + config.numClasses()
              + " outputs");
    }
  }

  @Override
  public Map<String, INDArray> feeds(Batch batch) {
    int[] classes = batch.requireLabels();
    int k = config.numClasses();
    float off = (float) (labelSmoothing / k);
    float on = (float) (1 - labelSmoothing) + off;
    INDArray labels =
        labelSmoothing == 0
            ? Nd4j.zeros(DataType.FLOAT, classes.length, k)
            : Nd4j.valueArrayOf(new long[] {classes.length, k}, off, DataType.FLOAT);
    for (int i = 0; i < classes.length; i++) {
      if (classes[i] < 0 || classes[i] >= config.numClasses()) {
        throw new IllegalArgumentException(
            "image "
                + batch.indices()[i]
                + " has label "
                + classes[i]
                + ", outside the classifier's "
                + config.numClasses()
                + " outputs");
      }
      labels.putScalar(i, classes[i], on);
    }
    if (dropPath == 0) return Map.of(TensorNames.IMAGES, batch.images(), Names.LABELS, labels);
    float[] keep = DropPath.keep(classes.length, config.depth(), dropPath, batch.seed());
    return Map.of(
        TensorNames.IMAGES,
        batch.images(),
        Names.LABELS,
        labels,
        Names.DROP_PATH,
        Nd4j.create(keep, new long[] {classes.length, branches()}, 'c'));
  }

  /** The columns of {@link Names#DROP_PATH}. */
  private long branches() {
    return (long) DropPath.BRANCHES_PER_BLOCK * config.depth();
  }

  @Override
  public String metricName() {
    return "test_accuracy";
  }

  @Override
  public double evaluate(SameDiff sd, Forwards forwards, ImageSource data, int batchSize) {
    long correct = 0;
    for (int from = 0; from < data.count(); from += batchSize) {
      int[] idx = Task.range(from, Math.min(data.count(), from + batchSize));
      INDArray images = Task.images(data, idx);
      Map<String, INDArray> feeds =
          dropPath == 0
              ? Map.of(TensorNames.IMAGES, images)
              // Every branch kept, unscaled: the network as it is served.
              : Map.of(
                  TensorNames.IMAGES,
                  images,
                  Names.DROP_PATH,
                  Nd4j.ones(DataType.FLOAT, idx.length, branches()));
      INDArray logits = forwards.output(sd, feeds, TensorNames.LOGITS);
      INDArray predicted = logits.argMax(1);
      for (int i = 0; i < idx.length; i++) {
        if (predicted.getInt(i) == data.label(idx[i])) correct++;
      }
    }
    return (double) correct / data.count();
  }
}
