package dev.vitmae.graph.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/** Appends one line per epoch to a CSV: epoch, step, train_loss, METRIC, lr, seconds, img_per_s. */
final class MetricsCsv {
  private final Path file;
  private final String metric;

  MetricsCsv(Path file, String metric) {
    this.file = file;
    this.metric = metric;
  }

  void append(int epoch, long step, double trainLoss, double value, double lr, double seconds,
      double imagesPerSecond) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    StringBuilder line = new StringBuilder();
    if (!Files.exists(file)) {
      line.append("epoch,step,train_loss,").append(metric).append(",lr,seconds,img_per_s\n");
    }
    line.append(String.format(Locale.ROOT, "%d,%d,%.6f,%.6f,%.3g,%.1f,%.1f%n", epoch, step,
        trainLoss, value, lr, seconds, imagesPerSecond));
    Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }
}
