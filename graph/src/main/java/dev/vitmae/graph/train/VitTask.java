package dev.vitmae.graph.train;

import dev.vitmae.datasets.ImageSource;
import dev.vitmae.graph.config.RecordJson;
import dev.vitmae.graph.config.ViTConfig;
import dev.vitmae.graph.model.Names;
import dev.vitmae.graph.model.VitClassifier;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Supervised ViT classification: cross-entropy, scored by test accuracy. */
public record VitTask(ViTConfig config) implements Task {
  @Override
  public ModelKind kind() {
    return ModelKind.VIT;
  }

  @Override
  public String configJson() {
    return RecordJson.write(config);
  }

  @Override
  public SameDiff build(DataType dtype, long seed) {
    return VitClassifier.build(config, dtype, seed);
  }

  @Override
  public Map<String, INDArray> feeds(ImageSource data, int[] indices, long seed) {
    INDArray labels = Nd4j.zeros(DataType.FLOAT, indices.length, config.numClasses());
    for (int i = 0; i < indices.length; i++) labels.putScalar(i, data.label(indices[i]), 1f);
    return Map.of(Names.IMAGES, Task.images(data, indices), Names.LABELS, labels);
  }

  @Override
  public String metricName() {
    return "test_accuracy";
  }

  @Override
  public double evaluate(SameDiff sd, ImageSource data, int batchSize) {
    long correct = 0;
    for (int from = 0; from < data.count(); from += batchSize) {
      int[] idx = Task.range(from, Math.min(data.count(), from + batchSize));
      INDArray logits = sd.output(Map.of(Names.IMAGES, Task.images(data, idx)), Names.LOGITS)
          .get(Names.LOGITS);
      INDArray predicted = logits.argMax(1);
      for (int i = 0; i < idx.length; i++) {
        if (predicted.getInt(i) == data.label(idx[i])) correct++;
      }
    }
    return (double) correct / data.count();
  }
}
