package dev.vitmae.cli;

import static dev.vitmae.cli.CliRun.vitmae;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitmae.graph.train.Checkpoint;
import dev.vitmae.graph.train.Tasks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * I-JEPA from the command line, on a tiny model: train, resume, eval, probe, export, parity, embed.
 */
class IjepaCommandsTest {
  static final String[] TINY =
      TinyArgs.args(
          "--dataset",
          "synthetic",
          "--limit-train",
          "96",
          "--limit-test",
          "32",
          "--batch-size",
          "32",
          "--lr",
          "1e-3",
          TinyArgs.ENCODER,
          TinyArgs.PREDICTOR,
          "--ema",
          "0.99,1");

  static String[] args(String... head) {
    List<String> all = new ArrayList<>(List.of(head));
    all.addAll(List.of(TINY));
    return all.toArray(String[]::new);
  }

  @Test
  void trainResumeEvalProbeExportServe(@TempDir Path tmp) throws IOException {
    Path run = tmp.resolve("ijepa");
    CliRun first =
        vitmae(
            args("train", "ijepa", "--out", run.toString(), "--epochs", "2", "--max-epochs", "1"));
    assertEquals(0, first.exitCode(), first.err());
    assertTrue(first.out().contains("test_loss"), first.out());
    CliRun resumed =
        vitmae(
            "train",
            "ijepa",
            "--out",
            run.toString(),
            "--resume",
            "--dataset",
            "synthetic",
            "--limit-train",
            "96",
            "--limit-test",
            "32");
    assertEquals(0, resumed.exitCode(), resumed.err());
    assertTrue(resumed.out().contains("resuming"), resumed.out());
    Checkpoint ckpt = Checkpoint.read(run.resolve("checkpoint.zip"));
    assertEquals(Tasks.IJEPA, ckpt.kind());
    assertEquals(2, ckpt.progress().epochsDone());
    assertTrue(ckpt.ema().size() > 10);
    assertEquals(3, Files.readAllLines(run.resolve("metrics.csv")).size());
    // The health signals are on by default; for I-JEPA from the target (EMA) encoder.
    assertTrue(
        Files.readAllLines(run.resolve("metrics.csv")).get(0).contains(",embed_std,embed_rank,"));

    CliRun eval =
        vitmae(
            "eval",
            "--checkpoint",
            run.resolve("checkpoint.zip").toString(),
            "--dataset",
            "synthetic");
    assertEquals(0, eval.exitCode(), eval.err());
    assertTrue(eval.out().startsWith("ijepa ") && eval.out().contains("test_loss"), eval.out());

    Path table = tmp.resolve("probe.md");
    CliRun probe =
        vitmae(
            "eval",
            "probe",
            "--checkpoint",
            run.resolve("checkpoint.zip").toString(),
            "--dataset",
            "synthetic",
            "--epochs",
            "3",
            "--record",
            table.toString());
    assertEquals(0, probe.exitCode(), probe.err());
    assertTrue(
        probe.out().contains("ijepa encoder") && probe.out().contains("16 features"), probe.out());
    CliRun concat =
        vitmae(
            "eval",
            "probe",
            "--checkpoint",
            run.resolve("checkpoint.zip").toString(),
            "--dataset",
            "synthetic",
            "--epochs",
            "1",
            "--tokens",
            "concat");
    assertEquals(0, concat.exitCode(), concat.err());
    assertTrue(
        concat.out().contains("tokens concatenated") && concat.out().contains("256 features"),
        concat.out());
    CliRun pixelTokens =
        vitmae("eval", "probe", "--pixels", "--dataset", "synthetic", "--tokens", "concat");
    assertEquals(1, pixelTokens.exitCode());
    assertTrue(pixelTokens.err().contains("--pixels has none"), pixelTokens.err());
    CliRun pixels =
        vitmae(
            "eval",
            "probe",
            "--pixels",
            "--dataset",
            "synthetic",
            "--epochs",
            "3",
            "--record",
            table.toString());
    assertEquals(0, pixels.exitCode(), pixels.err());
    List<String> rows = Files.readAllLines(table);
    assertEquals(4, rows.size(), "header, rule and two rows: " + rows);
    assertTrue(rows.get(3).contains("raw pixels") && rows.get(3).contains("| 784 |"), rows.get(3));
    assertTrue(rows.get(0).contains("| k-NN accuracy |"), rows.get(0));
    assertTrue(rows.get(2).matches(".*\\| [01]\\.\\d{4} \\(k=20\\) \\|.*"), rows.get(2));

    Path foreign = tmp.resolve("foreign.md");
    Files.writeString(foreign, "| dataset | features | test accuracy |\n| --- | --- | ---: |\n");
    CliRun refusedRecord =
        vitmae(
            "eval", "probe", "--pixels", "--dataset", "synthetic", "--record", foreign.toString());
    assertEquals(1, refusedRecord.exitCode());
    assertTrue(
        refusedRecord.err().contains("foreign.md: its first line is not this command's table"),
        refusedRecord.err());
    assertEquals(
        "| dataset | features | test accuracy |\n| --- | --- | ---: |\n",
        Files.readString(foreign),
        "the other table is left as it was");

    Path refused = tmp.resolve("refused");
    CliRun wrong =
        vitmae(
            "export",
            "--checkpoint",
            run.resolve("checkpoint.zip").toString(),
            "--out",
            refused.toString(),
            "--models",
            "encoder,classifier");
    assertEquals(1, wrong.exitCode());
    assertTrue(
        wrong.err().contains("provides no 'classifier' model; available: encoder, predictor"),
        wrong.err());
    assertTrue(
        !Files.exists(refused.resolve("encoder.onnx")),
        "nothing is written before every name is checked");

    Path onnx = tmp.resolve("onnx");
    CliRun export =
        vitmae(
            "export",
            "--checkpoint",
            run.resolve("checkpoint.zip").toString(),
            "--out",
            onnx.toString());
    assertEquals(0, export.exitCode(), export.err());
    assertTrue(
        Files.exists(onnx.resolve("encoder.onnx")) && Files.exists(onnx.resolve("predictor.onnx")));
    CliRun parity =
        vitmae(
            "parity",
            "--checkpoint",
            run.resolve("checkpoint.zip").toString(),
            "--onnx-dir",
            onnx.toString(),
            "--dataset",
            "synthetic",
            "-n",
            "16");
    assertEquals(0, parity.exitCode(), parity.out() + parity.err());
    assertTrue(
        parity.out().contains("parity predictor") && parity.out().contains("parity OK"),
        parity.out());
    CliRun embed =
        vitmae(
            "embed",
            "--onnx",
            onnx.resolve("encoder.onnx").toString(),
            "--dataset",
            "synthetic",
            "-n",
            "4",
            "--out",
            tmp.resolve("emb.csv").toString());
    assertEquals(0, embed.exitCode(), embed.err());
  }

  @Test
  void probeNeedsExactlyOneSource() {
    CliRun both =
        vitmae("eval", "probe", "--pixels", "--checkpoint", "x.zip", "--dataset", "synthetic");
    assertEquals(2, both.exitCode());
    assertTrue(both.err().contains("mutually exclusive"), both.err());
    CliRun none = vitmae("eval", "--dataset", "synthetic");
    assertEquals(2, none.exitCode());
    assertTrue(none.err().contains("needs --checkpoint"), none.err());
  }
}
