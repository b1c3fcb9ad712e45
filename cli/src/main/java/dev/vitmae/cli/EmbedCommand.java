package dev.vitmae.cli;

import dev.vitmae.runtime.EncoderView;
import dev.vitmae.runtime.VitModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vitmae embed}: the pooled embedding of every image, served from an exported encoder. */
@Command(
    name = "embed",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Embed images with an exported encoder.onnx into a CSV with one row per image: index, file"
            + " (with --images), label (when known), e0..e{dim-1}.")
final class EmbedCommand implements Callable<Integer> {
  @Option(
      names = "--onnx",
      required = true,
      paramLabel = "encoder.onnx",
      description = "An exported encoder.")
  private Path onnx;

  @Mixin private ImageInputOptions input;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE.csv",
      description = "The CSV to write.")
  private Path out;

  @Mixin private OnnxOptions serving;

  @Option(
      names = "--batch-size",
      paramLabel = "N",
      defaultValue = "256",
      description = "Images per model run (default: ${DEFAULT-VALUE}).")
  private int batchSize;

  @Spec private CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter log = spec.commandLine().getOut();
    EncoderView encoder = serving.open(onnx, VitModel::encoder, "embed");
    try (VitModel model = encoder.model()) {
      InputImages images = input.load(model.preprocessing(), log);
      BatchedInference run =
          BatchedInference.run(
              images, batchSize, input.failOnBadImage(), (x, n) -> encoder.embed(x, n).embedding());
      run.reportFailures(images, log);
      ImageCsv.write(
          out,
          images,
          ImageCsv.numbered("e", run.width()),
          (i, row) -> ImageCsv.floats(row, run.values(), i * run.width(), run.width()),
          run::ok);
      log.println(onnx + " on " + serving.describe(model) + ": embedded " + run.summary());
      log.println(
          "wrote "
              + out
              + ": "
              + run.okCount()
              + " embeddings of dim "
              + run.width()
              + " of "
              + images.source());
    }
    return 0;
  }
}
