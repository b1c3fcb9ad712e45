package dev.vitmae.cli;

import dev.vitmae.graph.train.Trainer;
import dev.vitmae.graph.train.TrainingListener;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * One status line per epoch, redrawn in place on a terminal ({@code \r}), or printed every 10%
 * otherwise: {@code epoch 1/3 [=====> ] 52/118 loss 0.0412 95 img/s ETA 4m10s}.
 */
final class ProgressBar implements TrainingListener {
  private static final int WIDTH = 24;
  private final PrintWriter bar;
  private final PrintWriter log;
  private final boolean terminal = System.console() != null;
  private int epochs;
  private int steps;
  private int done;
  private long images;
  private double lossSum;
  private long start;
  private int lastDecile;

  ProgressBar(PrintWriter bar, PrintWriter log) {
    this.bar = bar;
    this.log = log;
  }

  @Override
  public void epochStarted(Trainer trainer, int epoch, int epochs, int steps) {
    this.epochs = epochs;
    this.steps = steps;
    done = 0;
    images = 0;
    lossSum = 0;
    lastDecile = -1;
    start = System.nanoTime();
  }

  @Override
  public void stepDone(Trainer trainer, StepResult s) {
    int epoch = s.epoch();
    int batchSize = s.batchSize();
    double loss = s.loss();
    done++;
    images += batchSize;
    lossSum += loss * batchSize;
    double seconds = (System.nanoTime() - start) / 1e9;
    double rate = images / seconds;
    long eta = Math.round(seconds / done * (steps - done));
    int filled = WIDTH * done / steps;
    String line =
        String.format(
            Locale.ROOT,
            "epoch %d/%d [%s%s] %d/%d loss %.4f %.0f img/s ETA %dm%02ds",
            epoch + 1,
            epochs,
            "=".repeat(filled),
            " ".repeat(WIDTH - filled),
            done,
            steps,
            lossSum / images,
            rate,
            eta / 60,
            eta % 60);
    int decile = 10 * done / steps;
    if (terminal) {
      bar.print("\r" + line);
      bar.flush();
    } else if (decile != lastDecile) {
      lastDecile = decile;
      bar.println(line);
      bar.flush();
    }
  }

  @Override
  public void epochDone(Trainer trainer, EpochResult e) {
    if (terminal) bar.println();
    StringBuilder line =
        new StringBuilder(
            String.format(Locale.ROOT, "epoch %d: train_loss %.5f", e.epochsDone(), e.trainLoss()));
    e.metrics()
        .forEach(
            (name, value) -> {
              if (!value.isNaN()) line.append(String.format(Locale.ROOT, " %s %.5f", name, value));
            });
    log.println(line);
    log.flush();
  }
}
