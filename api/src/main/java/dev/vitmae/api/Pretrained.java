package dev.vitmae.api;

import dev.vitmae.graph.config.MaeConfig;
import dev.vitmae.graph.config.RecordJson;
import dev.vitmae.graph.pretrained.PretrainedCheckpoint;
import dev.vitmae.graph.pretrained.Source;
import dev.vitmae.graph.pretrained.WeightMapping;
import dev.vitmae.graph.train.Checkpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * Published ViT weights as a trainable vitmae model: a timm, facebookresearch/mae, ijepa or Hugging
 * Face checkpoint ({@code .safetensors}, or {@code .pth}/{@code .bin} as {@code torch.save} writes
 * them, read without running any pickle code) becomes a ViT {@link TrainedModel} to save, export,
 * serve, probe or fine-tune ({@link Training#fineTune(TrainedModel, int)}, or {@code vitmae train
 * vit --init-encoder} on the saved file).
 *
 * <pre>{@code
 * TrainedModel vit = Pretrained.load(Path.of("vit_tiny.safetensors"), Source.TIMM);
 * vit.save(Path.of("vit_tiny.zip"));
 * vit.exportOnnx(Path.of("onnx"));
 * }</pre>
 */
public final class Pretrained {
  private Pretrained() {}

  /**
   * {@code weights} read as {@code source}, strictly, at its own image size, heads inferred for the
   * published widths.
   *
   * @throws dev.vitmae.graph.pretrained.WeightMappingException naming every tensor that does not
   *     map, or what cannot be inferred (e.g. the heads of an unpublished width)
   * @throws dev.vitmae.weights.ForbiddenGlobalException for a pickle naming another global
   * @throws IOException if the file cannot be read
   */
  public static TrainedModel load(Path weights, Source source) throws IOException {
    return load(weights, source, WeightMapping.Options.defaults());
  }

  /** The same with {@code options} (heads, image size, strictness, epsilon, ...). */
  public static TrainedModel load(Path weights, Source source, WeightMapping.Options options)
      throws IOException {
    return read(weights, source, options).model();
  }

  /** The model and the mapping's report: what was assumed, skipped, left out, resampled. */
  public static Import read(Path weights, Source source, WeightMapping.Options options)
      throws IOException {
    PretrainedCheckpoint.Result r = PretrainedCheckpoint.read(weights, source, options);
    return new Import(new TrainedModel(r.checkpoint()), r.imported());
  }

  /**
   * A whole MAE — facebookresearch/mae's {@code MaskedAutoencoderViT} or Hugging Face's {@code
   * ViTMAEForPreTraining}, encoder and decoder — as a model to continue pre-training ({@link
   * Training#resume(dev.vitmae.graph.train.Checkpoint, dev.vitmae.graph.train.TaskFactory...)}) or
   * to export as {@code mae.onnx}. {@code settings} sets on the imported config what the weights do
   * not record (the masking ratio, normalized-pixel loss).
   *
   * @param decoderHeads the decoder's heads, or null to infer them
   */
  public static Import readMae(
      Path weights,
      Source source,
      WeightMapping.Options options,
      Integer decoderHeads,
      UnaryOperator<MaeConfig.Builder> settings)
      throws IOException {
    PretrainedCheckpoint.MaeResult r =
        PretrainedCheckpoint.readMae(weights, source, options, decoderHeads);
    MaeConfig imported = r.imported().config();
    MaeConfig config = settings.apply(imported.toBuilder()).build();
    Checkpoint checkpoint =
        config.equals(imported)
            ? r.checkpoint()
            : r.checkpoint().withModelJson(RecordJson.write(config));
    return new Import(new TrainedModel(checkpoint), r.imported().imported());
  }

  /**
   * A facebookresearch/ijepa checkpoint whole — the context encoder and the predictor as the
   * parameters, the target encoder as the EMA — as a model to continue pre-training. The report's
   * used tensors include the target encoder's, prefixed {@code target_encoder.}.
   *
   * @param predictorHeads the predictor's heads, or null for the encoder's
   */
  public static Import readIjepa(
      Path weights, WeightMapping.Options options, Integer predictorHeads) throws IOException {
    PretrainedCheckpoint.IjepaResult r =
        PretrainedCheckpoint.readIjepa(weights, options, predictorHeads);
    return new Import(new TrainedModel(r.checkpoint()), r.imported().imported());
  }

  /** An imported model and its {@link WeightMapping.Imported report}. */
  public record Import(TrainedModel model, WeightMapping.Imported report) {}
}
