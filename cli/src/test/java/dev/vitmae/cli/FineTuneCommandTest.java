package dev.vitmae.cli;

import static dev.vitmae.cli.CliRun.vitmae;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitmae.graph.train.Checkpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train vit --init-encoder} from I-JEPA with few labels, a frozen encoder or layer-wise lr
 * decay.
 */
class FineTuneCommandTest {
  @Test
  void aFrozenEncoderFromIjepaIsItsTargetEncoderAndLabelsAreSubset(@TempDir Path tmp)
      throws IOException {
    Path ijepa = tmp.resolve("ijepa");
    assertEquals(
        0,
        vitmae(IjepaCommandsTest.args("train", "ijepa", "--out", ijepa.toString(), "--epochs", "1"))
            .exitCode());
    Checkpoint source = Checkpoint.read(ijepa.resolve("checkpoint.zip"));

    Path vit = tmp.resolve("vit");
    CliRun ft =
        tinyVit(
            vit,
            "--init-encoder",
            ijepa.resolve("checkpoint.zip").toString(),
            "--labels",
            "40",
            "--freeze-encoder",
            "--epochs",
            "2",
            "--lr",
            "1e-3");
    assertEquals(0, ft.exitCode(), ft.err());
    assertTrue(
        ft.out().contains("I-JEPA target encoder") && ft.out().contains("encoder frozen"),
        ft.out());
    Checkpoint tuned = Checkpoint.read(vit.resolve("checkpoint.zip"));
    assertEquals("40", tuned.info().get("vitmae.labels"));
    assertFalse(tuned.lrScales().isEmpty(), "the scales are data of the checkpoint");
    tuned
        .lrScales()
        .forEach(
            (name, scale) ->
                assertEquals(name.startsWith("encoder/") ? 0.0 : 1.0, scale, name + " scale"));
    assertEquals(
        6, tuned.progress().step(), "2 epochs of 40 images in batches of 16: 3 steps each");
    for (var e : source.ema().entrySet()) {
      assertArrayEquals(
          e.getValue().data(),
          tuned.params().get(e.getKey()).data(),
          0f,
          e.getKey() + ": the frozen encoder is the I-JEPA target encoder, unchanged");
    }

    CliRun decayed =
        tinyVit(
            tmp.resolve("vit-decay"),
            "--init-encoder",
            ijepa.resolve("checkpoint.zip").toString(),
            "--labels",
            "40",
            "--layer-decay",
            "0.75",
            "--epochs",
            "1");
    assertEquals(0, decayed.exitCode(), decayed.err());
    assertTrue(decayed.out().contains("layer decay 0.75"), decayed.out());
    assertEquals(
        "0.75",
        Checkpoint.read(tmp.resolve("vit-decay/checkpoint.zip"))
            .info()
            .get("vitmae.fine_tune.layer_decay"));
  }

  @Test
  void evalEveryScoresEveryNthAndTheLastEpochOnly(@TempDir Path tmp) throws IOException {
    Path vit = tmp.resolve("vit");
    CliRun run = tinyVit(vit, "--labels", "20", "--eval-every", "2", "--epochs", "3");
    assertEquals(0, run.exitCode(), run.err());
    List<String[]> rows = CliRun.csv(vit.resolve("metrics.csv"));
    int accuracy = List.of(rows.get(0)).indexOf("test_accuracy");
    assertTrue(accuracy > 0, String.join(",", rows.get(0)));
    assertEquals("NaN", rows.get(1)[accuracy], "epoch 1 is not evaluated");
    double second = Double.parseDouble(rows.get(2)[accuracy]);
    double last = Double.parseDouble(rows.get(3)[accuracy]);
    assertTrue(second >= 0 && second <= 1 && last >= 0 && last <= 1, second + " " + last);
    assertTrue(Files.exists(vit.resolve("loss.png")), "the loss curve skips the NaN epochs");

    CliRun zero =
        vitmae(
            "train",
            "vit",
            "--dataset",
            "synthetic",
            "--out",
            tmp.resolve("x").toString(),
            "--eval-every",
            "0");
    assertEquals(1, zero.exitCode());
    assertTrue(zero.err().contains("--eval-every must be at least 1, got 0"), zero.err());
    assertFalse(Files.exists(tmp.resolve("x")), "nothing is written for a bad option");
  }

  /** {@code train vit} of a 16-wide ViT with mean pooling on synthetic images, batches of 16. */
  private static CliRun tinyVit(Path out, String... options) {
    List<String> args =
        new ArrayList<>(
            List.of(
                TinyArgs.args(
                    "train",
                    "vit",
                    "--dataset",
                    "synthetic",
                    "--limit-test",
                    "32",
                    "--out",
                    out.toString(),
                    "--pool",
                    "mean",
                    "--batch-size",
                    "16",
                    TinyArgs.ENCODER)));
    args.addAll(List.of(options));
    return vitmae(args.toArray(String[]::new));
  }
}
