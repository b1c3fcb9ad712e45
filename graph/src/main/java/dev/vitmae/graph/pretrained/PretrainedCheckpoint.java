package dev.vitmae.graph.pretrained;

import dev.vitmae.contract.MetadataKey;
import dev.vitmae.graph.config.IjepaConfig;
import dev.vitmae.graph.config.Pooling;
import dev.vitmae.graph.config.TrainConfig;
import dev.vitmae.graph.model.Ijepa;
import dev.vitmae.graph.model.Mae;
import dev.vitmae.graph.model.VitClassifier;
import dev.vitmae.graph.model.VitEncoder;
import dev.vitmae.graph.train.Checkpoint;
import dev.vitmae.graph.train.IjepaTask;
import dev.vitmae.graph.train.MaeTask;
import dev.vitmae.graph.train.Task;
import dev.vitmae.graph.train.VitTask;
import dev.vitmae.weights.StateDict;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Published weights as a vitmae ViT checkpoint (kind {@code vit}, epoch 0): what {@code train vit
 * --init-encoder}, {@code eval probe}, {@code export} and {@code embed} take. Parameters the
 * weights do not have (a classification head, missing tensors when not strict) keep the fresh
 * initialization of a seeded classifier.
 */
public final class PretrainedCheckpoint {
  /** Seed of the parameters the weights do not provide. */
  public static final long SEED = 0;

  private PretrainedCheckpoint() {}

  /**
   * Reads {@code weights} (safetensors or a {@code torch.save} checkpoint), maps it as {@code
   * source} and returns the checkpoint with the mapping's report.
   *
   * @throws WeightMappingException naming the tensors that do not map
   * @throws IOException if the file cannot be read (a {@code ForbiddenGlobalException} for a pickle
   *     that names a global outside the allow-list)
   */
  public static Result read(Path weights, Source source, WeightMapping.Options options)
      throws IOException {
    try (StateDict dict = StateDict.read(weights)) {
      WeightMapping.Imported imported = WeightMapping.map(dict, source, options);
      return new Result(of(imported, weights, source), imported);
    }
  }

  /** A checkpoint and the mapping that produced it. */
  public record Result(Checkpoint checkpoint, WeightMapping.Imported imported) {}

  /**
   * Reads a whole MAE ({@link WeightMapping#mapMae}: facebookresearch/mae's {@code
   * MaskedAutoencoderViT} or Hugging Face's {@code ViTMAEForPreTraining}) as an {@code mae}
   * checkpoint: what {@code train mae} continues, {@code export} writes {@code mae.onnx} of.
   *
   * @param decoderHeads the decoder's heads, or null (see {@link WeightMapping#mapMae})
   */
  public static MaeResult readMae(
      Path weights, Source source, WeightMapping.Options options, Integer decoderHeads)
      throws IOException {
    try (StateDict dict = StateDict.read(weights)) {
      WeightMapping.ImportedMae mae = WeightMapping.mapMae(dict, source, options, decoderHeads);
      MaeTask task = new MaeTask(mae.config());
      SameDiff sd = Mae.build(mae.config(), DataType.FLOAT, SEED);
      Checkpoint ckpt = of(task, sd, mae.imported(), Map.of(), weights, source);
      return new MaeResult(ckpt, mae);
    }
  }

  /** An MAE checkpoint and the mapping that produced it. */
  public record MaeResult(Checkpoint checkpoint, WeightMapping.ImportedMae imported) {}

  /**
   * Reads a facebookresearch/ijepa checkpoint whole as an {@code ijepa} checkpoint: the context
   * {@code encoder} and the {@code predictor} as its parameters ({@link WeightMapping#mapIjepa}),
   * the {@code target_encoder} as its EMA weights (the target encoder), so that {@code train ijepa}
   * continues where ijepa stopped.
   *
   * @param predictorHeads the predictor's heads, or null for the encoder's
   */
  public static IjepaResult readIjepa(
      Path weights, WeightMapping.Options options, Integer predictorHeads) throws IOException {
    try (StateDict dict = StateDict.read(weights)) {
      WeightMapping.ImportedIjepa ijepa = WeightMapping.mapIjepa(dict, options, predictorHeads);
      WeightMapping.Imported target =
          WeightMapping.map(dict, Source.IJEPA, options.withContextEncoder(false));
      IjepaConfig config = ijepa.config();
      if (!target.config().equals(config.encoder())) {
        throw new WeightMappingException(
            weights
                + ": the target encoder reads as "
                + target.config()
                + ", the context encoder as "
                + config.encoder());
      }
      // The target encoder's graph (VitEncoder.build, as IjepaTask keeps it) names the EMA.
      SameDiff targetGraph =
          VitEncoder.build(config.encoder().withPool(Pooling.MEAN), DataType.FLOAT, SEED);
      Map<String, Checkpoint.Tensor> ema = filled(targetGraph, target.params());
      // One report: the target encoder's tensors are used too, as the EMA.
      WeightMapping.Imported parts = ijepa.imported();
      List<String> used = new ArrayList<>(parts.used());
      target.used().forEach(name -> used.add("target_encoder." + name));
      List<String> notUsed =
          parts.notUsed().stream().filter(line -> !line.startsWith("'target_encoder'")).toList();
      List<String> notes = new ArrayList<>(parts.notes());
      notes.add("the target_encoder is the EMA (I-JEPA's target encoder)");
      WeightMapping.Imported whole =
          new WeightMapping.Imported(
              parts.config(),
              parts.params(),
              List.copyOf(used),
              parts.skipped(),
              parts.missing(),
              notUsed,
              List.copyOf(notes));
      IjepaTask task = new IjepaTask(config);
      SameDiff sd = Ijepa.build(config, DataType.FLOAT, SEED);
      Checkpoint ckpt = of(task, sd, whole, ema, weights, Source.IJEPA);
      return new IjepaResult(ckpt, new WeightMapping.ImportedIjepa(config, whole), target);
    }
  }

  /** An I-JEPA checkpoint, the mapping of its encoder and predictor, and its target encoder's. */
  public record IjepaResult(
      Checkpoint checkpoint, WeightMapping.ImportedIjepa imported, WeightMapping.Imported target) {}

  /** The checkpoint of {@code imported}, read from {@code weights} as {@code source}. */
  public static Checkpoint of(WeightMapping.Imported imported, Path weights, Source source) {
    VitTask task = new VitTask(imported.config());
    SameDiff sd = VitClassifier.build(imported.config(), DataType.FLOAT, SEED);
    return of(task, sd, imported, Map.of(), weights, source);
  }

  /**
   * {@code task}'s checkpoint: every parameter of its graph {@code sd}, mapped or (when the weights
   * lack it) freshly initialized; {@code ema} the EMA weights, if any.
   */
  private static Checkpoint of(
      Task task,
      SameDiff sd,
      WeightMapping.Imported imported,
      Map<String, Checkpoint.Tensor> ema,
      Path weights,
      Source source) {
    Map<String, Checkpoint.Tensor> params = filled(sd, imported.params());
    // Images are preprocessed for the model's size and channels (resize, centre crop, [0, 1]).
    Map<String, String> info =
        new LinkedHashMap<>(
            dev.vitmae.images.Preprocessing.of(
                    imported.config().imageSize(), imported.config().channels())
                .toMetadata());
    MetadataKey.IMPORT_SOURCE.put(info, source.toString());
    MetadataKey.IMPORT_FILE.put(info, String.valueOf(weights.getFileName()));
    MetadataKey.IMPORT_TENSORS.put(info, imported.used().size());
    MetadataKey.IMPORT_NOTES.put(info, String.join(" | ", imported.notes()));
    if (!imported.notUsed().isEmpty()) {
      MetadataKey.IMPORT_NOT_USED.put(info, String.join(" | ", imported.notUsed()));
    }
    if (!imported.skipped().isEmpty()) {
      MetadataKey.IMPORT_SKIPPED.put(info, String.join(", ", imported.skipped()));
    }
    if (!imported.missing().isEmpty()) {
      MetadataKey.IMPORT_INITIALIZED.put(info, String.join(", ", imported.missing()));
    }
    Checkpoint c =
        Checkpoint.initial(
            task,
            TrainConfig.reference(),
            params,
            source + " weights " + weights.getFileName(),
            info);
    return ema.isEmpty()
        ? c
        : new Checkpoint(
            c.kind(),
            c.modelJson(),
            c.train(),
            c.progress(),
            c.params(),
            c.adamM(),
            c.adamV(),
            ema,
            c.info());
  }

  /**
   * Every parameter of {@code sd}: its {@code mapped} value, or its fresh initialization where the
   * weights had none; throws if a mapped tensor is no parameter of {@code sd} or misshapen.
   */
  private static Map<String, Checkpoint.Tensor> filled(
      SameDiff sd, Map<String, Checkpoint.Tensor> mappedParams) {
    Map<String, Checkpoint.Tensor> params = new LinkedHashMap<>();
    for (SDVariable v : sd.variables()) {
      if (v.getVariableType() != VariableType.VARIABLE) continue;
      long[] shape = v.getArr().shape();
      Checkpoint.Tensor mapped = mappedParams.get(v.name());
      if (mapped != null && !Arrays.equals(mapped.shape(), shape)) {
        throw new IllegalStateException(
            v.name()
                + ": mapped as "
                + Arrays.toString(mapped.shape())
                + " but the graph has "
                + Arrays.toString(shape));
      }
      params.put(
          v.name(),
          mapped != null ? mapped : new Checkpoint.Tensor(shape, v.getArr().data().asFloat()));
    }
    for (String name : mappedParams.keySet()) {
      if (!params.containsKey(name)) {
        throw new IllegalStateException(name + ": mapped but not a parameter of the graph");
      }
    }
    return params;
  }
}
