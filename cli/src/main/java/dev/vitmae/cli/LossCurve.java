package dev.vitmae.cli;

import dev.vitmae.graph.train.HealthMonitor;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The loss-curve picture of a run: the training loss of every step (steps.csv) and the evaluation
 * metrics of every epoch (metrics.csv), against the optimizer step; the training-health signals
 * ({@link HealthMonitor}'s embedding std and effective rank), when recorded, in small charts of
 * their own beside it.
 */
final class LossCurve {
  private LossCurve() {}

  static BufferedImage draw(Path stepsCsv, Path metricsCsv) throws IOException {
    Map<String, double[][]> series = new LinkedHashMap<>();
    Map<String, double[][]> health = new LinkedHashMap<>();
    Csv steps = Csv.read(stepsCsv);
    series.put(
        "train loss (per step)", new double[][] {steps.column("step"), steps.column("loss")});
    if (Files.exists(metricsCsv)) {
      Csv epochs = Csv.read(metricsCsv);
      for (int c = 3; c < epochs.header.length - 3; c++) {
        String name = epochs.header[c];
        double[][] xy = evaluated(epochs.column("step"), epochs.column(c));
        if (HEALTH.containsKey(name)) health.put(HEALTH.get(name), xy);
        else series.put(name + " (per epoch)", xy);
      }
    }
    BufferedImage loss =
        Pictures.lineChart(
            stepsCsv.toAbsolutePath().getParent().getFileName()
                + ": training loss"
                + (series.size() > 1 ? " and evaluation" : ""),
            "step",
            series,
            720,
            420);
    if (health.isEmpty()) return loss;
    // Beside the loss, one small chart per health signal, stacked (their scales differ), from 0:
    // a collapse is a fall towards it, and small wobbles should look small.
    BufferedImage out = new BufferedImage(720 + 360, 420, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.drawImage(loss, 0, 0, null);
    int height = 420 / health.size();
    int y = 0;
    for (Map.Entry<String, double[][]> e : health.entrySet()) {
      g.drawImage(
          LineChart.draw(e.getKey(), "step", Map.of("per epoch", e.getValue()), 360, height, true),
          720,
          y,
          null);
      y += height;
    }
    g.dispose();
    return out;
  }

  /** The health columns drawn beside the loss, and their chart titles. */
  private static final Map<String, String> HEALTH =
      Map.of(
          HealthMonitor.STD, "embedding std (collapse: 0)",
          HealthMonitor.RANK, "effective rank (RankMe)");

  /** The (step, value) points of the epochs that were evaluated (the others are NaN). */
  private static double[][] evaluated(double[] steps, double[] values) {
    int n = 0;
    for (double v : values) if (!Double.isNaN(v)) n++;
    double[][] xy = new double[2][n];
    for (int i = 0, j = 0; i < values.length; i++) {
      if (Double.isNaN(values[i])) continue;
      xy[0][j] = steps[i];
      xy[1][j++] = values[i];
    }
    return xy;
  }

  /** A numeric CSV with a header line, every row as wide as the header. */
  private record Csv(String[] header, double[][] rows) {
    static Csv read(Path file) throws IOException {
      List<String> lines = Files.readAllLines(file);
      if (lines.size() < 2) {
        throw new IOException(file + ": nothing recorded yet");
      }
      String[] header = lines.get(0).split(",");
      double[][] rows = new double[lines.size() - 1][];
      for (int i = 0; i < rows.length; i++) {
        String[] f = lines.get(i + 1).split(",");
        if (f.length != header.length) {
          throw new IOException(
              file
                  + ": line "
                  + (i + 2)
                  + " has "
                  + f.length
                  + " fields, expected "
                  + header.length);
        }
        rows[i] = new double[f.length];
        for (int j = 0; j < f.length; j++) {
          try {
            rows[i][j] = Double.parseDouble(f[j]);
          } catch (NumberFormatException e) {
            throw new IOException(
                file
                    + ": line "
                    + (i + 2)
                    + " field "
                    + (j + 1)
                    + " '"
                    + f[j]
                    + "' is not a number");
          }
        }
      }
      return new Csv(header, rows);
    }

    double[] column(String name) throws IOException {
      for (int c = 0; c < header.length; c++) if (header[c].equals(name)) return column(c);
      throw new IOException("no column '" + name + "' in " + String.join(",", header));
    }

    double[] column(int c) {
      double[] out = new double[rows.length];
      for (int i = 0; i < rows.length; i++) out[i] = rows[i][c];
      return out;
    }
  }
}
