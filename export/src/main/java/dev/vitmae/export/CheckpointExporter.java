package dev.vitmae.export;

import dev.vitmae.export.onnx.OnnxProto.ModelProto;
import dev.vitmae.graph.config.MaeConfig;
import dev.vitmae.graph.config.Pooling;
import dev.vitmae.graph.config.RecordJson;
import dev.vitmae.graph.config.ViTConfig;
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
    return kind == ModelKind.MAE ? Set.of(ExportedModel.ENCODER, ExportedModel.MAE)
        : Set.of(ExportedModel.ENCODER, ExportedModel.CLASSIFIER);
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
    SameDiff sd = graph(checkpoint, model);
    loadWeights(sd, checkpoint.params());
    List<String> outputs = switch (model) {
      case ENCODER -> List.of(Names.TOKENS, Names.EMBEDDING);
      case MAE -> List.of(Names.RECONSTRUCTION);
      case CLASSIFIER -> List.of(Names.LOGITS);
    };
    return OnnxExporter.export(sd, new ExportRequest("vitmae_" + model.id(), outputs, opset,
        metadata(checkpoint, model, opset)));
  }

  /** The inference graph of {@code model}, built from the checkpoint's config. */
  public static SameDiff graph(Checkpoint checkpoint, ExportedModel model) {
    if (checkpoint.kind() == ModelKind.MAE) {
      MaeConfig mae = RecordJson.read(MaeConfig.class, checkpoint.modelJson());
      return model == ExportedModel.MAE ? Mae.build(mae, DataType.FLOAT, 0)
          : VitEncoder.build(maeEncoder(mae), DataType.FLOAT, 0);
    }
    ViTConfig vit = RecordJson.read(ViTConfig.class, checkpoint.modelJson());
    return model == ExportedModel.CLASSIFIER ? VitClassifier.build(vit, DataType.FLOAT, 0)
        : VitEncoder.build(vit, DataType.FLOAT, 0);
  }

  /** An MAE never trains a cls token: its encoder is exported with mean pooling. */
  static ViTConfig maeEncoder(MaeConfig mae) {
    ViTConfig c = mae.encoder();
    return new ViTConfig(c.imageSize(), c.patchSize(), c.channels(), c.dim(), c.depth(), c.heads(),
        c.dimHead(), c.mlpDim(), c.numClasses(), Pooling.MEAN, c.posEmbedding());
  }

  /** Assigns every trainable variable of {@code sd} from {@code params}, checking shapes. */
  public static void loadWeights(SameDiff sd, Map<String, Checkpoint.Tensor> params) {
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
    ViTConfig enc = checkpoint.kind() == ModelKind.MAE
        ? RecordJson.read(MaeConfig.class, checkpoint.modelJson()).encoder()
        : RecordJson.read(ViTConfig.class, checkpoint.modelJson());
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
    if (model == ExportedModel.ENCODER) {
      m.put("vitmae.pool", (checkpoint.kind() == ModelKind.MAE ? Pooling.MEAN : enc.pool()).name().toLowerCase(java.util.Locale.ROOT));
    }
    m.put("vitmae.epochs", Integer.toString(checkpoint.progress().epochsDone()));
    m.put("vitmae.dataset", checkpoint.progress().dataset());
    return m;
  }
}
