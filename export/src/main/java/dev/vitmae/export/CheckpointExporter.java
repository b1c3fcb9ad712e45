package dev.vitmae.export;

import dev.vitmae.export.onnx.OnnxProto.ModelProto;
import dev.vitmae.graph.config.IjepaConfig;
import dev.vitmae.graph.config.MaeConfig;
import dev.vitmae.graph.config.Pooling;
import dev.vitmae.graph.config.RecordJson;
import dev.vitmae.graph.config.ViTConfig;
import dev.vitmae.graph.model.Ijepa;
import dev.vitmae.graph.model.Mae;
import dev.vitmae.graph.model.Names;
import dev.vitmae.graph.model.VitClassifier;
import dev.vitmae.graph.model.VitEncoder;
import dev.vitmae.graph.train.Checkpoint;
import dev.vitmae.graph.train.ModelKind;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Checkpoint → ONNX files: builds each inference graph with the same builders as training,
 * loads the checkpoint's weights by name, and exports it with its I/O contract in the metadata.
 */
public final class CheckpointExporter {
  private CheckpointExporter() {}

  /** The models a checkpoint of this kind can provide. */
  public static Set<ExportedModel> available(ModelKind kind) {
    return switch (kind) {
      case VIT -> Set.of(ExportedModel.ENCODER, ExportedModel.CLASSIFIER);
      case MAE -> Set.of(ExportedModel.ENCODER, ExportedModel.MAE);
      case IJEPA -> Set.of(ExportedModel.ENCODER, ExportedModel.PREDICTOR);
    };
  }

  /** Writes {@code <model>.onnx} into {@code outDir} for each requested model; returns the files. */
  public static List<Path> export(Checkpoint checkpoint, Path outDir, List<ExportedModel> models,
      int opset) throws IOException {
    List<Path> files = new ArrayList<>();
    for (ExportedModel m : models) {
      Path file = outDir.resolve(m.id() + ".onnx");
      OnnxFiles.write(toOnnx(checkpoint, m, opset), file);
      files.add(file);
    }
    return files;
  }

  /** One model of a checkpoint as ONNX. */
  public static ModelProto toOnnx(Checkpoint checkpoint, ExportedModel model, int opset) {
    if (!available(checkpoint.kind()).contains(model)) {
      throw new IllegalArgumentException("a " + checkpoint.kind() + " checkpoint has no " + model.id()
          + " model; available: " + available(checkpoint.kind()));
    }
    SameDiff sd = inferenceGraph(checkpoint, model);
    List<String> outputs = switch (model) {
      case ENCODER -> List.of(Names.TOKENS, Names.EMBEDDING);
      case MAE -> List.of(Names.RECONSTRUCTION);
      case CLASSIFIER -> List.of(Names.LOGITS);
      case PREDICTOR -> List.of(Names.PREDICTED_TOKENS);
    };
    return OnnxExporter.export(sd, new ExportRequest("vitmae_" + model.id(), outputs, opset,
        metadata(checkpoint, model, opset)));
  }

  /** The inference graph of {@code model} holding the checkpoint's weights: what is exported. */
  public static SameDiff inferenceGraph(Checkpoint checkpoint, ExportedModel model) {
    SameDiff sd = graph(checkpoint, model);
    loadWeights(sd, weights(checkpoint, model));
    return sd;
  }

  /** The inference graph of {@code model}, built from the checkpoint's config, freshly initialized. */
  private static SameDiff graph(Checkpoint checkpoint, ExportedModel model) {
    return switch (checkpoint.kind()) {
      case MAE -> model == ExportedModel.MAE
          ? Mae.build(RecordJson.read(MaeConfig.class, checkpoint.modelJson()), DataType.FLOAT, 0)
          : VitEncoder.build(encoderConfig(checkpoint), DataType.FLOAT, 0);
      case IJEPA -> model == ExportedModel.PREDICTOR
          ? Ijepa.buildPredictor(RecordJson.read(IjepaConfig.class, checkpoint.modelJson()),
              DataType.FLOAT, 0)
          : VitEncoder.build(encoderConfig(checkpoint), DataType.FLOAT, 0);
      case VIT -> model == ExportedModel.CLASSIFIER
          ? VitClassifier.build(encoderConfig(checkpoint), DataType.FLOAT, 0)
          : VitEncoder.build(encoderConfig(checkpoint), DataType.FLOAT, 0);
    };
  }

  /**
   * The weights of {@code model}: I-JEPA's encoder is its target (EMA) encoder, the one ijepa
   * evaluates; everything else comes from the trained parameters.
   */
  public static Map<String, Checkpoint.Tensor> weights(Checkpoint checkpoint, ExportedModel model) {
    return checkpoint.kind() == ModelKind.IJEPA && model == ExportedModel.ENCODER
        ? checkpoint.ema() : checkpoint.params();
  }

  /**
   * The encoder config of a checkpoint. MAE and I-JEPA never train a cls token: their encoders
   * are exported with mean pooling.
   */
  public static ViTConfig encoderConfig(Checkpoint checkpoint) {
    String json = checkpoint.modelJson();
    return switch (checkpoint.kind()) {
      case VIT -> RecordJson.read(ViTConfig.class, json);
      case MAE -> RecordJson.read(MaeConfig.class, json).encoder().withPool(Pooling.MEAN);
      case IJEPA -> RecordJson.read(IjepaConfig.class, json).encoder().withPool(Pooling.MEAN);
    };
  }

  /** Assigns every trainable variable of {@code sd} from {@code params}, checking shapes. */
  private static void loadWeights(SameDiff sd, Map<String, Checkpoint.Tensor> params) {
    for (SDVariable v : sd.variables()) {
      if (v.getVariableType() != VariableType.VARIABLE) continue;
      Checkpoint.Tensor t = params.get(v.name());
      if (t == null) throw new IllegalArgumentException("checkpoint lacks weight '" + v.name() + "'");
      long[] expected = v.getArr().shape();
      if (!Arrays.equals(expected, t.shape())) {
        throw new IllegalArgumentException("weight '" + v.name() + "' has shape "
            + Arrays.toString(t.shape()) + ", the graph expects " + Arrays.toString(expected));
      }
      v.getArr().assign(Nd4j.create(t.data(), t.shape(), 'c'));
    }
  }

  private static Map<String, String> metadata(Checkpoint checkpoint, ExportedModel model, int opset) {
    ViTConfig enc = encoderConfig(checkpoint);
    Map<String, String> m = new LinkedHashMap<>();
    m.put("vitmae.model", model.id());
    m.put("vitmae.source_kind", checkpoint.kind().name().toLowerCase(java.util.Locale.ROOT));
    m.put("vitmae.config", checkpoint.modelJson());
    m.put("vitmae.version", Version.VITMAE);
    m.put("vitmae.io_contract", Version.IO_CONTRACT);
    m.put("vitmae.opset", Integer.toString(opset));
    m.put("vitmae.image_size", Integer.toString(enc.imageSize()));
    m.put("vitmae.channels", Integer.toString(enc.channels()));
    m.put("vitmae.patch_size", Integer.toString(enc.patchSize()));
    m.put("vitmae.num_patches", Integer.toString(enc.numPatches()));
    m.put("vitmae.input_normalization", "float32 NCHW pixels in [0,1] (byte / 255), no mean/std");
    m.put("vitmae.patch_layout", "b c (h p1) (w p2) -> b (h w) (p1 p2 c)");
    if (model == ExportedModel.MAE) {
      m.put("vitmae.mask", "float32 [batch, num_patches], 1 = masked (predicted), 0 = visible (passed through)");
    }
    if (model == ExportedModel.PREDICTOR) {
      m.put("vitmae.context_mask", "float32 [batch, num_patches], 1 = hidden from the context encoder, 0 = context");
      m.put("vitmae.target_mask", "float32 [batch, num_patches], 1 = target patch to predict (outside the context), 0 = not");
      m.put("vitmae.predicted_tokens", "layer-normalized target-encoder features, meaningful at target patches");
    }
    if (model == ExportedModel.ENCODER) {
      m.put("vitmae.pool", enc.pool().name().toLowerCase(java.util.Locale.ROOT));
      if (checkpoint.kind() == ModelKind.IJEPA) m.put("vitmae.weights", "target encoder (EMA)");
    }
    m.put("vitmae.epochs", Integer.toString(checkpoint.progress().epochsDone()));
    m.put("vitmae.dataset", checkpoint.progress().dataset());
    return m;
  }
}
