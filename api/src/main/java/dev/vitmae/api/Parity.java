package dev.vitmae.api;

import dev.vitmae.contract.TensorNames;
import dev.vitmae.datasets.ImageSource;
import dev.vitmae.export.CheckpointExporter;
import dev.vitmae.graph.eval.Inference;
import dev.vitmae.graph.train.Checkpoint;
import dev.vitmae.graph.train.InferenceModel;
import dev.vitmae.graph.train.TaskFactory;
import dev.vitmae.runtime.ModelOptions;
import dev.vitmae.runtime.NamedTensor;
import dev.vitmae.runtime.VitModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Training/serving agreement: each exported model run by ONNX Runtime ({@link VitModel#run})
 * against the same inference graph in SameDiff, with the checkpoint's weights, on the same images
 * and seeded extra inputs (masks). Reports max |Δ| per output and passes when it is at most {@code
 * tolerance × max(1, max|SameDiff|)} for every output.
 */
public final class Parity {
  /** The seed of the extra inputs (masks) every parity run uses. */
  public static final long INPUT_SEED = 11;

  private Parity() {}

  /** One output of one model: its max |Δ| and the scale it is judged against. */
  public record Row(
      String model,
      String output,
      int images,
      double maxAbsDiff,
      double maxAbsSameDiff,
      String provider) {
    /** {@code maxAbsDiff / max(1, maxAbsSameDiff)}. */
    public double relative() {
      return maxAbsDiff / Math.max(1, maxAbsSameDiff);
    }
  }

  /** Every compared output, the worst relative difference and the verdict. */
  public record Report(List<Row> rows, double worst, double tolerance) {
    public boolean ok() {
      return !rows.isEmpty() && worst <= tolerance;
    }
  }

  /**
   * Compares every model of {@code checkpoint} that has a {@code <name>.onnx} in {@code onnxDir}.
   *
   * @throws IllegalArgumentException when {@code onnxDir} holds none of the checkpoint's models, or
   *     the images do not fit the model
   */
  public static Report check(
      Checkpoint checkpoint,
      Path onnxDir,
      ImageSource images,
      int count,
      double tolerance,
      TaskFactory... factories) {
    return check(checkpoint, onnxDir, images, count, tolerance, ModelOptions.defaults(), factories);
  }

  /** {@link #check} serving the ONNX models with {@code serving} (device, threads). */
  public static Report check(
      Checkpoint checkpoint,
      Path onnxDir,
      ImageSource images,
      int count,
      double tolerance,
      ModelOptions serving,
      TaskFactory... factories) {
    CheckpointExporter exporter = CheckpointExporter.of(checkpoint, factories);
    int b = Math.min(count, images.count());
    float[] pixels = new float[b * images.valuesPerImage()];
    images.fill(range(b), pixels, 0);
    List<Row> rows = new ArrayList<>();
    for (String name : exporter.available()) {
      Path file = onnxDir.resolve(name + ".onnx");
      if (!Files.exists(file)) continue;
      InferenceModel model = exporter.model(name);
      Map<String, float[]> inputs = new LinkedHashMap<>();
      inputs.put(TensorNames.IMAGES, pixels);
      inputs.putAll(model.inputs().sample(b, INPUT_SEED));
      Map<String, float[]> expected =
          Inference.run(exporter.inferenceGraph(name), inputs, b, model.outputs());
      try (VitModel served = VitModel.open(file, serving)) {
        Map<String, NamedTensor> actual = served.run(inputs, b);
        for (String output : model.outputs()) {
          float[] want = expected.get(output);
          float[] got = actual.get(output).data();
          rows.add(
              new Row(
                  name,
                  output,
                  b,
                  maxAbs(want, got),
                  maxAbs(want, new float[want.length]),
                  served.executionProvider()));
        }
      }
    }
    if (rows.isEmpty()) {
      throw new IllegalArgumentException(
          onnxDir
              + " holds none of "
              + exporter.available()
              + " (as <name>.onnx): export them first");
    }
    double worst = rows.stream().mapToDouble(Row::relative).max().orElse(0);
    return new Report(List.copyOf(rows), worst, tolerance);
  }

  private static int[] range(int n) {
    int[] r = new int[n];
    for (int i = 0; i < n; i++) r[i] = i;
    return r;
  }

  private static double maxAbs(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new IllegalStateException("output sizes differ: " + a.length + " vs " + b.length);
    }
    double m = 0;
    for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
    return m;
  }
}
