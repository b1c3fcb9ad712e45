package dev.vitmae.export;

import dev.vitmae.contract.MetadataKey;
import dev.vitmae.contract.ModelContract;
import dev.vitmae.contract.TensorNames;
import dev.vitmae.export.onnx.OnnxProto.ModelProto;
import dev.vitmae.graph.model.VitEncoder;
import dev.vitmae.graph.train.Checkpoint;
import dev.vitmae.graph.train.InferenceModel;
import dev.vitmae.graph.train.Task;
import dev.vitmae.graph.train.TaskFactory;
import dev.vitmae.graph.train.Tasks;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Checkpoint → ONNX files: the checkpoint's {@link Task} says which {@link InferenceModel}s it
 * provides; each one's graph is built with the same builders as training, loaded with the
 * checkpoint's weights by name, and exported with its metadata.
 *
 * <pre>{@code
 * List<Path> files = CheckpointExporter.of(Checkpoint.read(file)).export(Path.of("onnx"));
 * }</pre>
 */
public final class CheckpointExporter {
  private final Checkpoint checkpoint;
  private final Task task;
  private final int opset;
  private final List<OnnxTranslator> translators;
  private final boolean attention;

  private CheckpointExporter(
      Checkpoint checkpoint,
      Task task,
      int opset,
      List<OnnxTranslator> translators,
      boolean attention) {
    this.checkpoint = checkpoint;
    this.task = task;
    this.opset = opset;
    this.translators = List.copyOf(translators);
    this.attention = attention;
  }

  /**
   * An exporter of {@code checkpoint} at the default opset; {@code factories} rebuild a
   * user-defined kind (see {@link Tasks#of(Checkpoint, TaskFactory...)}).
   *
   * @throws IllegalArgumentException when no factory knows the checkpoint's kind
   */
  public static CheckpointExporter of(Checkpoint checkpoint, TaskFactory... factories) {
    return new CheckpointExporter(
        checkpoint, Tasks.of(checkpoint, factories), OnnxExporter.DEFAULT_OPSET, List.of(), false);
  }

  /**
   * This exporter at opset {@code newOpset} ({@value OnnxExporter#MIN_OPSET}–{@value
   * OnnxExporter#MAX_OPSET}).
   */
  public CheckpointExporter opset(int newOpset) {
    OnnxExporter.checkOpset(newOpset);
    return new CheckpointExporter(checkpoint, task, newOpset, translators, attention);
  }

  /** This exporter with extra op translators (tried before the built-in registry). */
  public CheckpointExporter translators(OnnxTranslator... more) {
    List<OnnxTranslator> all = new ArrayList<>(translators);
    all.addAll(List.of(more));
    return new CheckpointExporter(checkpoint, task, opset, all, attention);
  }

  /**
   * This exporter with ({@code true}) or without the {@code encoder} model's optional output {@link
   * TensorNames#ATTENTION} {@code [batch, num_patches]}: the last encoder block's attention to each
   * patch, averaged over the heads ({@link VitEncoder#attention}), described by metadata {@link
   * MetadataKey#ATTENTION}. Off by default: the contract's two outputs only.
   */
  public CheckpointExporter attention(boolean withAttention) {
    return new CheckpointExporter(checkpoint, task, opset, translators, withAttention);
  }

  /** The names of the models the checkpoint provides, in export order. */
  public List<String> available() {
    return task.inferenceModels().stream().map(InferenceModel::name).toList();
  }

  /**
   * Checks {@code models} (empty: all of them) against what the checkpoint provides, before
   * anything is written.
   *
   * @return the models to write, in the order given, without duplicates
   * @throws IllegalArgumentException naming the unknown model and the available ones
   */
  public List<String> choose(List<String> models) {
    if (models.isEmpty()) return available();
    LinkedHashSet<String> chosen = new LinkedHashSet<>();
    for (String m : models) {
      String name = m.trim().toLowerCase(java.util.Locale.ROOT);
      if (!available().contains(name)) {
        throw new IllegalArgumentException(
            "a "
                + checkpoint.kind()
                + " checkpoint provides no '"
                + m.trim()
                + "' model; available: "
                + String.join(", ", available()));
      }
      chosen.add(name);
    }
    return List.copyOf(chosen);
  }

  /** Writes every model the checkpoint provides into {@code outDir}; returns the files. */
  public List<Path> export(Path outDir) throws IOException {
    return export(outDir, List.of());
  }

  /**
   * Writes {@code <model>.onnx} into {@code outDir} for each of {@code models} (empty: all),
   * atomically; every name is checked and every model converted before the first file is written,
   * so a bad request leaves the directory untouched.
   *
   * @throws IllegalArgumentException when attention was asked for and {@code models} leaves out the
   *     encoder, the one model that carries it
   */
  public List<Path> export(Path outDir, List<String> models) throws IOException {
    List<String> chosen = choose(models);
    if (attention && !chosen.contains(InferenceModel.ENCODER)) {
      throw new IllegalArgumentException(
          "attention is an output of the "
              + InferenceModel.ENCODER
              + " model, which is not among "
              + chosen
              + ": add "
              + InferenceModel.ENCODER
              + " to the models, or leave attention off");
    }
    Map<String, ModelProto> protos = new LinkedHashMap<>();
    for (String m : chosen) protos.put(m, toOnnx(m));
    List<Path> files = new ArrayList<>();
    for (var e : protos.entrySet()) {
      Path file = outDir.resolve(e.getKey() + ".onnx");
      OnnxFiles.write(e.getValue(), file);
      files.add(file);
    }
    return files;
  }

  /**
   * One model of the checkpoint as ONNX.
   *
   * @throws IllegalArgumentException when attention was asked for and the checkpoint's {@code
   *     encoder} graph does not compute it (a custom task's own encoder)
   */
  public ModelProto toOnnx(String model) {
    InferenceModel m = task.inferenceModel(model);
    SameDiff sd = inferenceGraph(model);
    List<String> outputs = new ArrayList<>(m.outputs());
    Map<String, String> metadata = metadata(m);
    if (attention && m.name().equals(InferenceModel.ENCODER)) {
      if (!sd.hasVariable(TensorNames.ATTENTION)) {
        throw new IllegalArgumentException(
            "the encoder of a "
                + checkpoint.kind()
                + " checkpoint has no '"
                + TensorNames.ATTENTION
                + "' variable to export (VitEncoder.build's graph has one)");
      }
      outputs.add(TensorNames.ATTENTION);
      MetadataKey.ATTENTION.put(
          metadata, VitEncoder.attentionDescription(sd.hasVariable(VitEncoder.CLASS_TOKEN)));
    }
    return OnnxExporter.export(
        sd, new ExportRequest("vitmae_" + m.name(), outputs, opset, metadata, translators));
  }

  /** The inference graph of {@code model} holding the checkpoint's weights: what is exported. */
  public SameDiff inferenceGraph(String model) {
    InferenceModel m = task.inferenceModel(model);
    SameDiff sd = m.graph().build(DataType.FLOAT);
    loadWeights(sd, weights(m), m.name());
    return sd;
  }

  /** The {@link InferenceModel} called {@code model}. */
  public InferenceModel model(String model) {
    return task.inferenceModel(model);
  }

  /** The checkpoint's task. */
  public Task task() {
    return task;
  }

  private Map<String, Checkpoint.Tensor> weights(InferenceModel m) {
    return m.weights() == InferenceModel.Weights.EMA ? checkpoint.ema() : checkpoint.params();
  }

  /** Assigns every trainable variable of {@code sd} from {@code params}, checking shapes. */
  private static void loadWeights(
      SameDiff sd, Map<String, Checkpoint.Tensor> params, String model) {
    for (SDVariable v : sd.variables()) {
      if (v.getVariableType() != VariableType.VARIABLE) continue;
      Checkpoint.Tensor t = params.get(v.name());
      if (t == null) {
        throw new IllegalArgumentException(
            "checkpoint lacks weight '" + v.name() + "' of model " + model);
      }
      long[] expected = v.getArr().shape();
      if (!Arrays.equals(expected, t.shape())) {
        throw new IllegalArgumentException(
            "weight '"
                + v.name()
                + "' has shape "
                + Arrays.toString(t.shape())
                + ", the graph expects "
                + Arrays.toString(expected));
      }
      v.getArr().assign(Nd4j.create(t.data(), t.shape(), 'c'));
    }
  }

  private Map<String, String> metadata(InferenceModel model) {
    Map<String, String> m = new LinkedHashMap<>();
    MetadataKey.MODEL.put(m, model.name());
    MetadataKey.SOURCE_KIND.put(m, checkpoint.kind().toLowerCase(java.util.Locale.ROOT));
    MetadataKey.CONFIG.put(m, checkpoint.modelJson());
    MetadataKey.VERSION.put(m, Version.VITMAE);
    MetadataKey.IO_CONTRACT.put(m, ModelContract.VERSION);
    MetadataKey.OPSET.put(m, opset);
    m.putAll(model.metadata());
    MetadataKey.EPOCHS.put(m, checkpoint.progress().epochsDone());
    MetadataKey.DATASET.put(m, checkpoint.progress().dataset());
    // What the training data was (class names, preprocessing): vitmae.* keys as recorded.
    checkpoint
        .info()
        .forEach((k, v) -> m.put(MetadataKey.isVitmaeKey(k) ? k : MetadataKey.DATA_PREFIX + k, v));
    return m;
  }

  /** {@code of(checkpoint).opset(opset).export(outDir, models)}. */
  public static List<Path> export(
      Checkpoint checkpoint, Path outDir, List<String> models, int opset) throws IOException {
    return of(checkpoint).opset(opset).export(outDir, models);
  }

  /** {@code of(checkpoint).inferenceGraph(model)}. */
  public static SameDiff inferenceGraph(Checkpoint checkpoint, String model) {
    return of(checkpoint).inferenceGraph(model);
  }
}
