package dev.vitmae.cli;

import dev.vitmae.api.TrainedModel;
import dev.vitmae.export.OnnxExporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vitmae export}: a checkpoint's inference models as ONNX files. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description =
        "Export a checkpoint to ONNX: encoder.onnx, mae.onnx, classifier.onnx and/or predictor.onnx in --out.")
final class ExportCommand implements Callable<Integer> {
  @Option(
      names = "--checkpoint",
      required = true,
      paramLabel = "FILE",
      description = "A ViT, MAE or I-JEPA checkpoint (checkpoint.zip of a run).")
  private Path checkpoint;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Folder for the .onnx files (created if missing).")
  private Path out;

  @Option(
      names = "--models",
      split = ",",
      paramLabel = "LIST",
      description = "encoder, mae, classifier, predictor (default: all the checkpoint provides).")
  private List<String> models;

  @Option(
      names = "--opset",
      defaultValue = "" + OnnxExporter.DEFAULT_OPSET,
      description =
          "ONNX opset, "
              + OnnxExporter.MIN_OPSET
              + ".."
              + OnnxExporter.MAX_OPSET
              + " (default: ${DEFAULT-VALUE}).")
  private int opset;

  @Option(
      names = "--attention",
      description =
          "Give encoder.onnx the optional output 'attention' [batch, num_patches]: the last"
              + " block's attention to each patch, averaged over the heads (what `vitmae attention`"
              + " draws).")
  private boolean attention;

  @Spec private CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    TrainedModel model = TrainedModel.load(checkpoint);
    // Every requested name is checked, and every model converted, before the first file is written.
    for (Path file :
        model
            .exporter()
            .opset(opset)
            .attention(attention)
            .export(out, models == null ? List.of() : models)) {
      spec.commandLine()
          .getOut()
          .printf(Locale.ROOT, "wrote %s (%,d bytes, opset %d)%n", file, Files.size(file), opset);
    }
    return 0;
  }
}
