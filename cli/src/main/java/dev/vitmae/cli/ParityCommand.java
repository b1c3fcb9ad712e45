package dev.vitmae.cli;

import dev.vitmae.api.Parity;
import dev.vitmae.api.TrainedModel;
import dev.vitmae.datasets.ImageSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vitmae parity}: do the exported models, served by ONNX Runtime, compute what SameDiff
 * computes with the checkpoint's weights? Max |Δ| per output on real test images. The default
 * tolerance is 1e-4 relative: on trained weights and real Fashion-MNIST images the encoder's tokens
 * differ by up to ~1.2e-5 of their magnitude (LayerNorm over near-constant background patches
 * amplifies float32 rounding by up to 1/√eps ≈ 316), with or without the native LayerNorm fusion.
 * The parity test suite holds random and trained weights to 1e-5 absolute on synthetic images.
 */
@Command(
    name = "parity",
    mixinStandardHelpOptions = true,
    description =
        "Compare the ONNX models in --onnx-dir (served by ONNX Runtime) with SameDiff on the checkpoint's weights.")
final class ParityCommand implements Callable<Integer> {
  @Option(
      names = "--checkpoint",
      required = true,
      paramLabel = "FILE",
      description = "The checkpoint the ONNX models were exported from.")
  private Path checkpoint;

  @Option(
      names = "--onnx-dir",
      required = true,
      paramLabel = "DIR",
      description = "The folder 'vitmae export' wrote.")
  private Path onnxDir;

  @Mixin private DatasetOptions dataset;

  @Mixin private OnnxOptions serving;

  @Option(
      names = "-n",
      defaultValue = "64",
      description = "Test images (default: ${DEFAULT-VALUE}).")
  private int count;

  @Option(
      names = "--tolerance",
      defaultValue = "1e-4",
      description =
          "Max |Δ| allowed, scaled by the output's magnitude above 1: |Δ| <= tol * max(1, max|SameDiff|)"
              + " (default: ${DEFAULT-VALUE}).")
  private double tolerance;

  @Spec private CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    TrainedModel model = TrainedModel.load(checkpoint);
    ImageSource test = dataset.load(model.checkpoint().info()).requireTest();
    Parity.Report report = model.parity(onnxDir, test, count, tolerance, serving.modelOptions());
    for (Parity.Row r : report.rows()) {
      out.printf(
          Locale.ROOT,
          "parity %-10s %-16s %d images  max|Δ| %.3g  max|SameDiff| %.3g  (%s)%n",
          r.model(),
          r.output(),
          r.images(),
          r.maxAbsDiff(),
          r.maxAbsSameDiff(),
          r.provider());
    }
    out.printf(
        Locale.ROOT,
        "parity %s: worst max|Δ| / max(1, max|SameDiff|) = %.3g, tolerance %.1g%n",
        report.ok() ? "OK" : "FAILED",
        report.worst(),
        report.tolerance());
    return report.ok() ? 0 : 1;
  }
}
