package dev.vitmae.graph.train;

import dev.vitmae.contract.MaeMask;
import dev.vitmae.contract.MaeMasking;
import dev.vitmae.contract.MetadataKey;
import dev.vitmae.contract.TensorNames;
import dev.vitmae.datasets.Batches;
import dev.vitmae.datasets.ImageSource;
import dev.vitmae.graph.config.MaeConfig;
import dev.vitmae.graph.config.Pooling;
import dev.vitmae.graph.config.RecordJson;
import dev.vitmae.graph.config.ViTConfig;
import dev.vitmae.graph.model.Mae;
import dev.vitmae.graph.model.Names;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
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
            List.of(TensorNames.RECONSTRUCTION),
            InferenceModel.Weights.PARAMS,
            InferenceModel.merge(
                InferenceModel.imageMetadata(encoder),
                Map.ofEntries(
                    MetadataKey.MASK.entry(
                        "float32 [batch, num_patches], 1 = masked (predicted), 0 = visible (passed"
                            + " through)"),
                    MetadataKey.MASKING_RATIO.entry(config.maskingRatio()))),
            dtype -> Mae.build(config, dtype, 0),
            (batch, seed) ->
                Map.of(
                    TensorNames.MASK,
                    MaeMasking.toFloatMask(masks(batch, seed), config.encoder().numPatches()))));
  }

  @Override
  public String configJson() {
    return RecordJson.write(config);
  }

  /**
   * The training graph: the encoder runs on the visible patches only ({@link
   * Mae#buildVisibleOnly}), fed by {@link #feeds}.
   */
  @Override
  public SameDiff build(DataType dtype, long seed) {
    return Mae.buildVisibleOnly(config, dtype, seed);
  }

  @Override
  public Map<String, INDArray> feeds(Batch batch) {
    return feeds(batch.images(), masks(batch.size(), batch.seed()));
  }

  /**
   * The training graph's feeds for {@code images [B, C, H, W]} masked by {@code mask}: the images
   * and {@code visible_index [B, n_visible]} (int32).
   */
  public Map<String, INDArray> feeds(INDArray images, MaeMask mask) {
    return Map.of(TensorNames.IMAGES, images, Names.VISIBLE_INDEX, visibleIndex(mask));
  }

  /**
   * {@code int(ratio·n)} random masked patches per sample ({@link MaeMasking}), from {@code seed}.
   */
  public MaeMask masks(int batch, long seed) {
    return MaeMasking.sample(batch, config.encoder().numPatches(), config.maskingRatio(), seed);
  }

  /** {@link #masks} as a float {@code [batch, n]} mask, 1 = masked: the serving graph's input. */
  public INDArray mask(int batch, long seed) {
    return floatMask(masks(batch, seed));
  }

  /** {@code mask} as a float {@code [batch, n]} array, 1 = masked. */
  public INDArray floatMask(MaeMask mask) {
    int n = config.encoder().numPatches();
    return Nd4j.create(MaeMasking.toFloatMask(mask, n), new long[] {mask.batch(), n}, 'c');
  }

  /** The visible patches of {@code mask} as an int32 {@code [batch, n_visible]} array. */
  public static INDArray visibleIndex(MaeMask mask) {
    int k = mask.numVisible();
    int[] flat = new int[mask.batch() * k];
    for (int b = 0; b < mask.batch(); b++) System.arraycopy(mask.visible()[b], 0, flat, b * k, k);
    return Nd4j.createFromArray(flat).reshape(mask.batch(), k);
  }

  /** The evaluation masks of the images {@code idx}: one seeded draw per image index. */
  MaeMask evalMasks(int[] idx) {
    int[][] masked = new int[idx.length][];
    int[][] visible = new int[idx.length][];
    for (int i = 0; i < idx.length; i++) {
      MaeMask one = masks(1, Batches.mix(EVAL_MASK_SEED, idx[i]));
      masked[i] = one.masked()[0];
      visible[i] = one.visible()[0];
    }
    return new MaeMask(masked, visible);
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
  public double evaluate(SameDiff sd, Forwards forwards, ImageSource data, int batchSize) {
    double sum = 0;
    for (int from = 0; from < data.count(); from += batchSize) {
      int[] idx = Task.range(from, Math.min(data.count(), from + batchSize));
      var feeds = feeds(Task.images(data, idx), evalMasks(idx));
      // Every image has the same number of masked patches: weight batch means by size.
      sum += forwards.output(sd, feeds, Names.LOSS).getDouble(0) * idx.length;
    }
    return sum / data.count();
  }

  /**
   * The floor {@link #evaluate} should beat: the same masked-patch MSE, with the same fixed masks,
   * when every masked pixel is predicted as its image's mean colour over the visible patches (per
   * channel). In pixel space, so comparable with {@code test_masked_mse} of a model trained without
   * {@link MaeConfig#normPixelLoss()}.
   */
  public double meanColourFloor(ImageSource data) {
    ViTConfig c = config.encoder();
    int p = c.patchSize();
    int grid = c.gridSize();
    int side = c.imageSize();
    int channels = c.channels();
    float[] image = new float[data.valuesPerImage()];
    double sum = 0;
    long count = 0;
    for (int i = 0; i < data.count(); i++) {
      data.fill(new int[] {i}, image, 0);
      MaeMask mask = evalMasks(new int[] {i});
      for (int ch = 0; ch < channels; ch++) {
        int plane = ch * side * side;
        double visibleSum = 0;
        int visibleCount = 0;
        for (int patch : mask.visible()[0]) {
          int top = patch / grid * p;
          int left = patch % grid * p;
          for (int y = top; y < top + p; y++) {
            for (int x = left; x < left + p; x++) visibleSum += image[plane + y * side + x];
          }
          visibleCount += p * p;
        }
        double mean = visibleSum / visibleCount;
        for (int patch : mask.masked()[0]) {
          int top = patch / grid * p;
          int left = patch % grid * p;
          for (int y = top; y < top + p; y++) {
            for (int x = left; x < left + p; x++) {
              double d = image[plane + y * side + x] - mean;
              sum += d * d;
              count++;
            }
          }
        }
      }
    }
    return sum / count;
  }

  /**
   * The key-masking MAE ({@link Mae#build}, any mask) with the parameters of {@code trained}, this
   * task's training graph.
   */
  public SameDiff servingGraph(SameDiff trained) {
    SameDiff sd = Mae.build(config, trained.getArrForVarName("mae/mask_token").dataType(), 0);
    for (SDVariable v : sd.variables()) {
      if (v.getVariableType() == VariableType.VARIABLE) {
        v.getArr().assign(trained.getArrForVarName(v.name()));
      }
    }
    return sd;
  }

  /**
   * Every patch predicted and the pasted reconstruction (visible patches passed through), both
   * {@code [count, C, H, W]}.
   */
  public record Reconstruction(float[] predicted, float[] pasted) {}

  /**
   * Runs the MAE with the parameters of {@code sd} (this task's training graph, e.g. {@code
   * trainer.graph()}) on {@code images [count, C, H, W]} with {@code mask [count, n]} (1 = masked,
   * any number per sample): the key-masking graph that {@code mae.onnx} serves.
   */
  public Reconstruction reconstruct(SameDiff sd, float[] images, float[] mask, int count) {
    ViTConfig c = config.encoder();
    INDArray x =
        Nd4j.create(images, new long[] {count, c.channels(), c.imageSize(), c.imageSize()}, 'c');
    INDArray m = Nd4j.create(mask, new long[] {count, c.numPatches()}, 'c');
    Map<String, INDArray> out =
        servingGraph(sd)
            .output(
                Map.of(TensorNames.IMAGES, x, TensorNames.MASK, m),
                Names.PREDICTED_PATCHES,
                TensorNames.RECONSTRUCTION);
    float[] predicted =
        dev.vitmae.datasets.Patches.unpatchify(
            out.get(Names.PREDICTED_PATCHES).dup('c').data().asFloat(),
            count,
            c.channels(),
            c.imageSize(),
            c.imageSize(),
            c.patchSize());
    return new Reconstruction(
        predicted, out.get(TensorNames.RECONSTRUCTION).dup('c').data().asFloat());
  }
}
