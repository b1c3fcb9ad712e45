package dev.vitmae.cli;

import dev.vitmae.api.TrainedModel;
import dev.vitmae.contract.MetadataKey;
import dev.vitmae.graph.train.InferenceModel;
import dev.vitmae.runtime.AttentionMaps;
import dev.vitmae.runtime.EncoderView;
import dev.vitmae.runtime.VitModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vitmae attention}: the last encoder block's attention maps over the images, computed by
 * ONNX Runtime through the exported encoder's {@code attention} output (a checkpoint is exported in
 * memory first), so the picture shows what a served model computes.
 */
@Command(
    name = "attention",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Draw the last encoder block's attention (averaged over the heads; the class token's row,"
          + " else the mean over the queries) over the first N images (-n, default "
          + AttentionCommand.DEFAULT_ROWS
          + "): image | attention | overlay.",
      "Served by ONNX Runtime: an encoder.onnx exported with `vitmae export --attention`, or any"
          + " checkpoint with an encoder (exported in memory)."
    })
final class AttentionCommand implements Callable<Integer> {
  /** Rows of the picture when {@code -n} is not given. */
  static final int DEFAULT_ROWS = 8;

  @ArgGroup(exclusive = true, multiplicity = "1", heading = "Model (exactly one):%n")
  private Model model;

  /** An exported encoder, or a checkpoint to export one from. */
  static final class Model {
    @Option(
        names = "--onnx",
        required = true,
        paramLabel = "encoder.onnx",
        description = "An encoder exported with --attention.")
    private Path onnx;

    @Option(
        names = "--checkpoint",
        required = true,
        paramLabel = "FILE",
        description = "A ViT, MAE or I-JEPA checkpoint: its encoder is exported in memory.")
    private Path checkpoint;
  }

  @Mixin private ImageInputOptions input;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE.png",
      description = "The picture to write.")
  private Path out;

  @Mixin private OnnxOptions serving;

  @Spec private CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter log = spec.commandLine().getOut();
    EncoderView encoder = open();
    try (VitModel served = encoder.model()) {
      InputImages images = input.load(served.preprocessing(), log);
      if (images.count() > input.limitOr(DEFAULT_ROWS)) {
        images =
            new InputImages(
                images.source(),
                images.images().head(DEFAULT_ROWS),
                null,
                images.files() == null ? null : images.files().subList(0, DEFAULT_ROWS));
      }
      BatchedInference run =
          BatchedInference.run(
              images, 64, input.failOnBadImage(), (x, n) -> encoder.attention(x, n).weights());
      run.reportFailures(images, log);
      int ok = run.okCount();
      int length = images.valuesPerImage();
      float[] pixels = new float[ok * length];
      float[] weights = new float[ok * run.width()];
      float[] one = new float[length];
      for (int i = 0, k = 0; i < images.count(); i++) {
        if (!run.ok(i)) continue;
        images.copy(i, i + 1, one);
        System.arraycopy(one, 0, pixels, k * length, length);
        System.arraycopy(run.values(), i * run.width(), weights, k * run.width(), run.width());
        k++;
      }
      AttentionPicture.write(
          served.info().grid(), pixels, new AttentionMaps(weights, ok, run.width()), out);
      log.println(
          "wrote "
              + out
              + ": attention of "
              + ok
              + " images of "
              + images.source()
              + " ("
              + served.info().metadata(MetadataKey.ATTENTION).orElse("attention")
              + "; "
              + serving.describe(served)
              + ")");
    }
    return 0;
  }

  /** The encoder with its {@code attention} output, served by ONNX Runtime. */
  private EncoderView open() throws IOException {
    if (model.onnx != null) {
      EncoderView encoder = serving.open(model.onnx, VitModel::encoder, "attention --onnx");
      if (!encoder.hasAttention()) {
        encoder.model().close();
        throw new IllegalArgumentException(
            model.onnx
                + " was exported without the attention output: export it again with `vitmae"
                + " export --attention`, or pass its checkpoint with --checkpoint");
      }
      return encoder;
    }
    TrainedModel trained = TrainedModel.load(model.checkpoint);
    if (!trained.exporter().available().contains(InferenceModel.ENCODER)) {
      throw new IllegalArgumentException(
          model.checkpoint
              + " provides no encoder (it provides "
              + trained.exporter().available()
              + ")");
    }
    byte[] onnx = trained.exporter().attention(true).toOnnx(InferenceModel.ENCODER).toByteArray();
    VitModel served = VitModel.open(onnx, serving.modelOptions());
    return served.encoder();
  }
}
