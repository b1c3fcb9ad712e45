package dev.vitmae.graph.train;

import dev.vitmae.datasets.Batches;
import dev.vitmae.datasets.ImageSource;
import dev.vitmae.datasets.masks.MaeMasking;
import dev.vitmae.graph.config.MaeConfig;
import dev.vitmae.graph.config.Pooling;
import dev.vitmae.graph.config.RecordJson;
import dev.vitmae.graph.config.ViTConfig;
import dev.vitmae.graph.model.Mae;
import dev.vitmae.graph.model.Names;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** MAE pre-training: random masks drawn on the host, masked-patch MSE. */
public record MaeTask(MaeConfig config) implements Task {
  /** Evaluation masks use this seed, whatever the training seed: runs stay comparable. */
  public static final long EVAL_MASK_SEED = 20240601L;

  @Override
  public String kind() {
    return Tasks.MAE;
  }

  /**
   * {@code encoder} ({@code images} → {@code tokens}, {@code embedding}; mean pooling: an MAE
   * trains no cls token) and {@code mae} ({@code images}, {@code mask} → {@code reconstruction}).
   */
  @Override
  public List<InferenceModel> inferenceModels() {
    ViTConfig encoder = config.encoder().withPool(Pooling.MEAN);
    return List.of(
        VitTask.encoderModel(encoder, InferenceModel.Weights.PARAMS, Map.of()),
        new InferenceModel(
            InferenceModel.MAE,
            List.of(Names.RECONSTRUCTION),
            InferenceModel.Weights.PARAMS,
            InferenceModel.merge(
                InferenceModel.imageMetadata(encoder),
                Map.of(
                    "vitmae.mask",
                    "float32 [batch, num_patches], 1 = masked (predicted), 0 = visible (passed through)")),
            dtype -> Mae.build(config, dtype, 0),
            (batch, seed) ->
                Map.of(
                    Names.MASK,
                    MaeMasking.toFloatMask(
                        MaeMasking.sample(
                            batch, config.encoder().numPatches(), config.maskingRatio(), seed),
                        config.encoder().numPatches()))));
  }

  @Override
  public String configJson() {
    return RecordJson.write(config);
  }

  @Override
  public SameDiff build(DataType dtype, long seed) {
    return Mae.build(config, dtype, seed);
  }

  @Override
  public Map<String, INDArray> feeds(Batch batch) {
    return Map.of(Names.IMAGES, batch.images(), Names.MASK, mask(batch.size(), batch.seed()));
  }

  /** A {@code [batch, n]} mask with {@code int(ratio·n)} random patches per sample set to 1. */
  public INDArray mask(int batch, long seed) {
    int n = config.encoder().numPatches();
    var mask = MaeMasking.sample(batch, n, config.maskingRatio(), seed);
    return Nd4j.create(MaeMasking.toFloatMask(mask, n), new long[] {batch, n}, 'c');
  }

  /** The evaluation masks of the images {@code idx}: one seeded draw per image index. */
  INDArray evalMask(int[] idx) {
    int n = config.encoder().numPatches();
    float[] all = new float[idx.length * n];
    for (int i = 0; i < idx.length; i++) {
      var one = MaeMasking.sample(1, n, config.maskingRatio(), Batches.mix(EVAL_MASK_SEED, idx[i]));
      System.arraycopy(MaeMasking.toFloatMask(one, n), 0, all, i * n, n);
    }
    return Nd4j.create(all, new long[] {idx.length, n}, 'c');
  }

  @Override
  public String metricName() {
    return "test_masked_mse";
  }

  /**
   * Mean squared error over the masked patches of every image, with fixed seeded masks: image i's
   * mask depends only on i, so the figure does not depend on the evaluation batch size.
   */
  @Override
  public double evaluate(SameDiff sd, ImageSource data, int batchSize) {
    double sum = 0;
    for (int from = 0; from < data.count(); from += batchSize) {
      int[] idx = Task.range(from, Math.min(data.count(), from + batchSize));
      var feeds = Map.of(Names.IMAGES, Task.images(data, idx), Names.MASK, evalMask(idx));
      // Every image has the same number of masked patches: weight batch means by size.
      sum += sd.output(feeds, Names.LOSS).get(Names.LOSS).getDouble(0) * idx.length;
    }
    return sum / data.count();
  }

  /**
   * Every patch predicted and the pasted reconstruction (visible patches passed through), both
   * {@code [count, C, H, W]}.
   */
  public record Reconstruction(float[] predicted, float[] pasted) {}

  /**
   * Runs the training graph {@code sd} (this task's, e.g. {@code trainer.graph()}) on {@code images
   * [count, C, H, W]} with {@code mask [count, n]} (1 = masked).
   */
  public Reconstruction reconstruct(SameDiff sd, float[] images, float[] mask, int count) {
    ViTConfig c = config.encoder();
    INDArray x =
        Nd4j.create(images, new long[] {count, c.channels(), c.imageSize(), c.imageSize()}, 'c');
    INDArray m = Nd4j.create(mask, new long[] {count, c.numPatches()}, 'c');
    Map<String, INDArray> out =
        sd.output(
            Map.of(Names.IMAGES, x, Names.MASK, m), Names.PREDICTED_PATCHES, Names.RECONSTRUCTION);
    float[] predicted =
        dev.vitmae.datasets.Patches.unpatchify(
            out.get(Names.PREDICTED_PATCHES).dup('c').data().asFloat(),
            count,
            c.channels(),
            c.imageSize(),
            c.imageSize(),
            c.patchSize());
    return new Reconstruction(predicted, out.get(Names.RECONSTRUCTION).dup('c').data().asFloat());
  }
}
