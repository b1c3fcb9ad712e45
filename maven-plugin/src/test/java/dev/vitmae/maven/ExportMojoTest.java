package dev.vitmae.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mojo called directly, as Maven would after injecting its parameters. */
class ExportMojoTest {
  static Path checkpoint;
  @TempDir Path out;
  final List<String> logged = new ArrayList<>();

  /** Also the fixture of the invoker ITs, so it is written even when only some tests run. */
  @BeforeAll
  static void writeCheckpoint() throws IOException {
    checkpoint = TinyCheckpoint.mae();
  }

  @Test
  void exportsEveryModelTheCheckpointProvidesByDefault() throws Exception {
    mojo(checkpoint).execute();

    assertOnnx(out.resolve("encoder.onnx"));
    assertOnnx(out.resolve("mae.onnx"));
    assertFalse(Files.exists(out.resolve("classifier.onnx")));
    assertEquals(2, logged.size(), logged.toString());
    assertTrue(
        logged.get(0).matches("wrote .*encoder\\.onnx \\([\\d,]+ bytes, opset 17\\)"),
        logged.get(0));
  }

  @Test
  void exportsOnlyTheRequestedModels() throws Exception {
    ExportMojo mojo = mojo(checkpoint);
    mojo.models = List.of(" MAE ", "");
    mojo.opset = 21;
    mojo.execute();

    assertOnnx(out.resolve("mae.onnx"));
    assertFalse(Files.exists(out.resolve("encoder.onnx")));
    assertTrue(logged.get(0).endsWith("opset 21)"), logged.get(0));
  }

  @Test
  void attentionAddsTheEncodersOptionalOutput() throws Exception {
    ExportMojo mojo = mojo(checkpoint);
    mojo.models = List.of("encoder");
    mojo.attention = true;
    mojo.execute();

    var outputs =
        dev.vitmae.export.OnnxFiles.read(out.resolve("encoder.onnx")).getGraph().getOutputList();
    assertEquals(
        List.of(
            dev.vitmae.contract.TensorNames.TOKENS,
            dev.vitmae.contract.TensorNames.EMBEDDING,
            dev.vitmae.contract.TensorNames.ATTENTION),
        outputs.stream().map(o -> o.getName()).toList());
  }

  @Test
  void missingCheckpointFailsWithTheCheckpointMessage() {
    Path missing = out.resolve("nope.zip");
    var e = assertThrows(MojoFailureException.class, () -> mojo(missing).execute());
    assertEquals("checkpoint " + missing + ": no such file", e.getMessage());
  }

  @Test
  void corruptCheckpointFails() throws IOException {
    Path junk = Files.writeString(out.resolve("junk.zip"), "not a zip");
    var e = assertThrows(MojoFailureException.class, () -> mojo(junk).execute());
    assertTrue(e.getMessage().startsWith("checkpoint " + junk + ": "), e.getMessage());
  }

  @Test
  void malformedModelNameFailsBeforeTheCheckpointIsRead() {
    ExportMojo mojo = mojo(out.resolve("unread.zip"));
    mojo.models = List.of("encoder", "de coder");
    var e = assertThrows(MojoFailureException.class, mojo::execute);
    assertEquals(
        "'de coder' is not a model name: use lower-case letters, digits, '_' or '-'"
            + " (e.g. encoder, mae, classifier, predictor)",
        e.getMessage());
  }

  @Test
  void unknownModelNameFailsBeforeAnythingIsWritten() {
    var e =
        assertThrows(
            MojoFailureException.class,
            () -> {
              ExportMojo mojo = mojo(checkpoint);
              mojo.models = List.of("encoder", "decoder");
              mojo.execute();
            });
    assertTrue(
        e.getMessage().endsWith("has no decoder model; available: [encoder, mae]"), e.getMessage());
    assertFalse(Files.exists(out.resolve("encoder.onnx")));
  }

  @Test
  void modelTheCheckpointLacksFailsBeforeAnythingIsWritten() {
    var e =
        assertThrows(
            MojoFailureException.class,
            () -> {
              ExportMojo mojo = mojo(checkpoint);
              mojo.models = List.of("encoder", "classifier");
              mojo.execute();
            });
    assertTrue(
        e.getMessage().endsWith("has no classifier model; available: [encoder, mae]"),
        e.getMessage());
    assertFalse(Files.exists(out.resolve("encoder.onnx")));
  }

  @Test
  void unsupportedOpsetFails() {
    ExportMojo mojo = mojo(out.resolve("unread.zip"));
    mojo.opset = 13;
    var e = assertThrows(MojoFailureException.class, mojo::execute);
    assertEquals("opset 13 is not supported: use 17..21", e.getMessage());
  }

  @Test
  void skipWritesNothingAndReadsNoCheckpoint() throws Exception {
    ExportMojo mojo = mojo(out.resolve("unread.zip"));
    mojo.skip = true;
    mojo.execute();
    try (var files = Files.list(out)) {
      assertEquals(0, files.count());
    }
  }

  private ExportMojo mojo(Path checkpoint) {
    ExportMojo mojo = new ExportMojo();
    mojo.checkpoint = checkpoint.toFile();
    mojo.outputDirectory = out.toFile();
    mojo.setLog(
        new SystemStreamLog() {
          @Override
          public void info(CharSequence content) {
            logged.add(content.toString());
            super.info(content);
          }
        });
    return mojo;
  }

  private static void assertOnnx(Path file) throws IOException {
    assertTrue(Files.size(file) > 10_000, file + " is " + Files.size(file) + " bytes");
  }
}
