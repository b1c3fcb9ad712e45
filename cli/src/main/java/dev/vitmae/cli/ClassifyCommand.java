package dev.vitmae.cli;

import dev.vitmae.runtime.ClassifierView;
import dev.vitmae.runtime.VitModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vitmae classify}: the predicted class and logits of every image, served from an exported
 * classifier.
 */
@Command(
    name = "classify",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Classify images with an exported classifier.onnx into a CSV with one row per image: index,"
            + " file (with --images), label (when known), predicted, predicted_class (when the model"
            + " names its classes), one logit per class. Prints how many images went to each class,"
            + " and the accuracy when the labels are known.")
final class ClassifyCommand implements Callable<Integer> {
  @Option(
      names = "--onnx",
      required = true,
      paramLabel = "classifier.onnx",
      description = "An exported classifier.")
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
    ClassifierView classifier = serving.open(onnx, VitModel::classifier, "classify");
    try (VitModel model = classifier.model()) {
      InputImages images = input.load(model.preprocessing(), log);
      BatchedInference run =
          BatchedInference.run(images, batchSize, input.failOnBadImage(), classifier::classify);
      run.reportFailures(images, log);
      int classes = run.width();
      int[] predicted = argmax(run.values(), classes);
      List<String> names = classifier.classNames();
      List<String> columns = withPredicted(ImageCsv.numbered("logit", classes));
      if (!names.isEmpty()) columns.add(1, "predicted_class");
      ImageCsv.write(
          out,
          images,
          columns,
          (i, row) -> {
            row.append(',').append(predicted[i]);
            if (!names.isEmpty())
              row.append(',').append(ImageCsv.csvField(names.get(predicted[i])));
            ImageCsv.floats(row, run.values(), i * classes, classes);
          },
          run::ok);
      log.println(onnx + " on " + serving.describe(model) + ": classified " + run.summary());
      if (images.labelled()) {
        int correct = 0;
        for (int i = 0; i < predicted.length; i++) {
          correct += run.ok(i) && predicted[i] == images.labels()[i] ? 1 : 0;
        }
        log.printf(
            Locale.ROOT,
            "accuracy %.4f (%d of %d) on %s%n",
            (double) correct / run.okCount(),
            correct,
            run.okCount(),
            images.source());
      }
      log.println("predicted: " + perClass(predicted, classes, names));
      log.println("wrote " + out);
    }
    return 0;
  }

  /** {@code name count, ...} over the classes predicted at least once, by class index. */
  static String perClass(int[] predicted, int classes, List<String> names) {
    int[] counts = new int[classes];
    for (int p : predicted) counts[p]++;
    List<String> parts = new ArrayList<>();
    for (int c = 0; c < classes; c++) {
      if (counts[c] == 0) continue;
      String name = c < names.size() ? names.get(c) : "class " + c;
      parts.add(name + " " + counts[c]);
    }
    return String.join(", ", parts);
  }

  private static List<String> withPredicted(List<String> logits) {
    List<String> columns = new ArrayList<>(logits.size() + 1);
    columns.add("predicted");
    columns.addAll(logits);
    return columns;
  }

  /** The runtime's {@link ClassifierView#argmax} of each row of {@code width} values. */
  static int[] argmax(float[] values, int width) {
    int[] best = new int[values.length / width];
    for (int i = 0; i < best.length; i++) best[i] = ClassifierView.argmax(values, i * width, width);
    return best;
  }
}
