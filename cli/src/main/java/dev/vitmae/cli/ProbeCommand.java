package dev.vitmae.cli;

import dev.vitmae.api.TrainedModel;
import dev.vitmae.datasets.AtomicFiles;
import dev.vitmae.datasets.DatasetSplits;
import dev.vitmae.datasets.ImageSource;
import dev.vitmae.graph.eval.Features;
import dev.vitmae.graph.eval.LinearProbe;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vitmae eval probe}: a linear probe on frozen features. The features of an image are the
 * mean of its encoder's patch tokens (for I-JEPA the target encoder, which ijepa evaluates; for a
 * cls-pooled ViT the patch tokens too, not the cls token), or its raw pixels with {@code --pixels};
 * a logistic regression ({@link LinearProbe}) is fitted on the train split and scored on the test
 * split.
 */
@Command(
    name = "probe",
    mixinStandardHelpOptions = true,
    description =
        "Linear-probe and k-NN accuracy of a checkpoint's frozen encoder (its tokens, averaged or"
            + " concatenated) or of raw pixels.")
final class ProbeCommand implements Callable<Integer> {
  @ArgGroup(multiplicity = "1")
  private Source source;

  static final class Source {
    @Option(
        names = "--checkpoint",
        paramLabel = "FILE",
        description = "A ViT, MAE or I-JEPA checkpoint.")
    Path checkpoint;

    @Option(names = "--pixels", description = "Probe the raw pixels instead of an encoder.")
    boolean pixels;
  }

  @Mixin private DatasetOptions dataset;

  @Option(
      names = "--labels",
      paramLabel = "N",
      description =
          "Fit on a seeded, class-stratified subset of N labelled training images (the rest unused).")
  private Integer labels;

  @Option(
      names = "--labels-seed",
      defaultValue = "0",
      description = "Seed of the --labels subset (default: ${DEFAULT-VALUE}).")
  private long labelsSeed;

  @Option(
      names = "--tokens",
      paramLabel = "READOUT",
      description =
          "How an encoder's patch tokens become features: mean (dim features) or concat (all"
              + " tokens, n x dim features; default: ${DEFAULT-VALUE}).")
  private Features.TokenReadout tokens = Features.TokenReadout.MEAN;

  @Option(
      names = "--knn",
      paramLabel = "K",
      defaultValue = "20",
      description =
          "Also report k-NN accuracy (cosine, k neighbours) on the same features; 0 = off (default: ${DEFAULT-VALUE}).")
  private int knn;

  @Option(
      names = "--limit-train",
      paramLabel = "N",
      description = "Fit on the first N training images only.")
  private Integer limitTrain;

  @Option(
      names = "--epochs",
      defaultValue = "100",
      description = "Probe epochs (default: ${DEFAULT-VALUE}).")
  private int epochs;

  @Option(
      names = "--lr",
      defaultValue = "1e-2",
      description = "Probe Adam learning rate (default: ${DEFAULT-VALUE}).")
  private double lr;

  @Option(
      names = "--l2",
      defaultValue = "1e-4",
      description = "Probe weight decay (default: ${DEFAULT-VALUE}).")
  private double l2;

  @Option(
      names = "--batch-size",
      defaultValue = "256",
      description = "Probe batch (default: ${DEFAULT-VALUE}).")
  private int batchSize;

  @Option(
      names = "--record",
      paramLabel = "FILE",
      description = "Append the result as a Markdown table row to FILE.")
  private Path record;

  @Spec private CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    if (record != null) existingRecord(record); // before any work: a wrong file fails fast
    if (source.pixels && tokens != Features.TokenReadout.MEAN) {
      throw new IllegalArgumentException("--tokens pools an encoder's tokens; --pixels has none");
    }
    TrainedModel model = source.pixels ? null : TrainedModel.load(source.checkpoint);
    DatasetSplits data =
        dataset.load(model == null ? java.util.Map.of() : model.checkpoint().info());
    ImageSource train = limitTrain == null ? data.train() : data.train().head(limitTrain);
    ImageSource test = data.requireTest();
    if (labels != null)
      train = dev.vitmae.datasets.LabelSubsets.stratified(train, labels, labelsSeed);
    LinearProbe.Options options = new LinearProbe.Options(epochs, batchSize, lr, l2, 0);

    long start = System.nanoTime();
    String what;
    int dim;
    float[] trainX;
    float[] testX;
    if (source.pixels) {
      what = "raw pixels";
      dim = train.valuesPerImage();
      trainX = Features.pixels(train);
      testX = Features.pixels(test);
    } else {
      what =
          model.kind().toLowerCase(Locale.ROOT)
              + " encoder, "
              + model.checkpoint().progress().epochsDone()
              + " epochs on "
              + model.checkpoint().progress().dataset()
              + " ("
              + source.checkpoint
              + ")";
      if (tokens == Features.TokenReadout.CONCAT) what += ", tokens concatenated";
      trainX = model.encoderFeatures(train, tokens);
      testX = model.encoderFeatures(test, tokens);
      dim = trainX.length / train.count();
    }
    double featureSeconds = (System.nanoTime() - start) / 1e9;
    start = System.nanoTime();
    LinearProbe.Result r =
        LinearProbe.fitAndScore(
            trainX, labels(train), testX, labels(test), dim, train.numClasses(), options);
    double fitSeconds = (System.nanoTime() - start) / 1e9;
    out.printf(
        Locale.ROOT,
        "probe %s on %s: %d features, %d train / %d test images: test accuracy %.4f"
            + " (train %.4f, train loss %.4f); features %.1f s, fit %.1f s (%s)%n",
        what,
        test.name(),
        dim,
        r.trainCount(),
        r.testCount(),
        r.testAccuracy(),
        r.trainAccuracy(),
        r.trainLoss(),
        featureSeconds,
        fitSeconds,
        settings());
    String knnCell = "–";
    if (knn > 0) {
      int k = Math.min(knn, train.count());
      start = System.nanoTime();
      double knnAccuracy =
          dev.vitmae.graph.eval.Knn.accuracy(
              trainX, labels(train), testX, labels(test), dim, train.numClasses(), k);
      out.printf(
          Locale.ROOT,
          "knn %s on %s: k=%d cosine, %d train / %d test images: test accuracy %.4f (%.1f s)%n",
          what,
          test.name(),
          k,
          train.count(),
          test.count(),
          knnAccuracy,
          (System.nanoTime() - start) / 1e9);
      knnCell = String.format(Locale.ROOT, "%.4f (k=%d)", knnAccuracy, k);
    }
    if (record != null) append(record, what, test.name(), r, knnCell);
    return 0;
  }

  private String settings() {
    return epochs + " epochs, batch " + batchSize + ", lr " + plain(lr) + ", l2 " + plain(l2);
  }

  private static String plain(double x) {
    return java.math.BigDecimal.valueOf(x).stripTrailingZeros().toPlainString();
  }

  private static int[] labels(ImageSource data) {
    return data.labels();
  }

  private static final String HEADER =
      "| dataset | features | dim | train images | test accuracy | train accuracy | k-NN accuracy"
          + " | probe |";

  /** The record file's text, null when there is none; refuses a table with other columns. */
  private static String existingRecord(Path file) throws IOException {
    if (!Files.exists(file)) return null;
    String existing = Files.readString(file);
    if (!existing.startsWith(HEADER + "\n")) {
      throw new IllegalArgumentException(
          file
              + ": its first line is not this command's table header ("
              + HEADER
              + "), e.g. a table of an older vitmae; --record to a new file");
    }
    return existing;
  }

  /**
   * Appends one row (and the table header when the file is new) atomically; refuses a file whose
   * table has other columns.
   */
  private void append(Path file, String what, String dataset, LinearProbe.Result r, String knnCell)
      throws IOException {
    StringBuilder text = new StringBuilder();
    String existing = existingRecord(file);
    if (existing != null) {
      text.append(existing);
    } else {
      text.append(HEADER).append("\n| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |\n");
    }
    text.append(
        String.format(
            Locale.ROOT,
            "| %s | %s | %d | %d | %.4f | %.4f | %s | %s |%n",
            dataset,
            what,
            r.dim(),
            r.trainCount(),
            r.testAccuracy(),
            r.trainAccuracy(),
            knnCell,
            settings()));
    AtomicFiles.write(file, o -> o.write(text.toString().getBytes(StandardCharsets.UTF_8)));
    spec.commandLine().getOut().println("appended to " + file);
  }
}
