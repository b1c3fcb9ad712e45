package dev.vitmae.graph.pretrained;

import dev.vitmae.contract.MetadataKey;
import dev.vitmae.graph.config.TrainConfig;
import dev.vitmae.graph.model.VitClassifier;
import dev.vitmae.graph.train.Checkpoint;
import dev.vitmae.graph.train.VitTask;
import dev.vitmae.weights.StateDict;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
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

  /** The checkpoint of {@code imported}, read from {@code weights} as {@code source}. */
  public static Checkpoint of(WeightMapping.Imported imported, Path weights, Source source) {
    VitTask task = new VitTask(imported.config());
    SameDiff sd = VitClassifier.build(imported.config(), DataType.FLOAT, SEED);
    Map<String, Checkpoint.Tensor> params = new LinkedHashMap<>();
    for (SDVariable v : sd.variables()) {
      if (v.getVariableType() != VariableType.VARIABLE) continue;
      long[] shape = v.getArr().shape();
      Checkpoint.Tensor mapped = imported.params().get(v.name());
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
    for (String name : imported.params().keySet()) {
      if (!params.containsKey(name)) {
        throw new IllegalStateException(name + ": mapped but not a parameter of the graph");
      }
    }
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
    return Checkpoint.initial(
        task, TrainConfig.reference(), params, source + " weights " + weights.getFileName(), info);
  }
}
