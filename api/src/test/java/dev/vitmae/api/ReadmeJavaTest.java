package dev.vitmae.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitmae.datasets.FloatImages;
import dev.vitmae.datasets.ImageSource;
import dev.vitmae.graph.config.MaeConfig;
import dev.vitmae.runtime.AttentionMaps;
import dev.vitmae.runtime.EncoderView;
import dev.vitmae.runtime.ModelOptions;
import dev.vitmae.runtime.VitModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README.md's "Use it from Java" snippet, compiled and run here; the test first checks that the
 * README shows exactly the code between the markers below (white space aside) (run in the module
 * directory, the test writes under {@code target/readme/} where the README says {@code onnx}). The
 * snippet's imports are checked by compiling the snippet as written, imports and all, in a class of
 * its own: what a user pastes into a new project.
 */
class ReadmeJavaTest {
  @Test
  void readmeSnippetDeclaresTrainsExportsAndServes() throws IOException {
    // Compared without white space: the formatter may wrap the lines here differently.
    assertEquals(
        String.join("", readmeSnippet()).replaceAll("\\s+", ""),
        String.join("", thisSnippet())
            .replace("target/readme/onnx", "onnx")
            .replaceAll("\\s+", ""));
    SplittableRandom rng = new SplittableRandom(3);
    float[] pixels = new float[64 * 3 * 32 * 32];
    for (int i = 0; i < pixels.length; i++) pixels[i] = (float) rng.nextDouble();
    float[] kept = null;
    // --- README ---
    ImageSource images = FloatImages.of(pixels, 3, 32); // [count, 3, 32, 32] in [0, 1]
    MaeConfig mae =
        MaeConfig.builder()
            .imageSize(32)
            .channels(3)
            .patchSize(4)
            .dim(64)
            .depth(2)
            .maskingRatio(0.75)
            .decoderDim(64)
            .build();
    TrainedModel run = Training.of(mae).epochs(2).batchSize(32).lr(1.5e-4).fit(images);
    run.exportOnnx(Path.of("target/readme/onnx")); // encoder.onnx, mae.onnx
    try (VitModel model =
        VitModel.open(Path.of("target/readme/onnx/encoder.onnx"), ModelOptions.defaults())) {
      float[] embedding = model.encoder().embed(images.image(0)).pooled(); // [dim]
      // --- end ---
      kept = embedding;
    }
    assertEquals(64, kept.length);
    assertEquals(4, run.checkpoint().progress().step());
    assertTrue(Files.exists(Path.of("target/readme/onnx/mae.onnx")));
    Parity.Report parity = run.parity(Path.of("target/readme/onnx"), images, 8, 1e-5);
    assertTrue(parity.ok(), parity.toString());

    // The "Attention maps" snippet goes on with the same run and images.
    assertEquals(
        String.join("", readmeSnippet(ATTENTION)).replaceAll("\\s+", ""),
        String.join("", thisSnippet(ATTENTION_MARKER))
            .replace("target/readme/onnx", "onnx")
            .replaceAll("\\s+", ""));
    float[] keptHeat = null;
    // --- README attention ---
    run.exporter().attention(true).export(Path.of("target/readme/onnx"), List.of("encoder"));
    try (VitModel model =
        VitModel.open(Path.of("target/readme/onnx/encoder.onnx"), ModelOptions.defaults())) {
      EncoderView encoder = model.encoder();
      AttentionMaps maps = encoder.attention(images.image(0)); // [1, num_patches], last block
      float[] heat = maps.upsampled(0, encoder.info().grid()); // [H, W] in [0, 1], to overlay
      // --- end ---
      keptHeat = heat;
      assertEquals(64, maps.numPatches());
    }
    assertEquals(32 * 32, keptHeat.length);
  }

  @Test
  void readmeSnippetCompilesWithItsImports(@TempDir Path dir) throws IOException {
    List<String> imports = new ArrayList<>();
    for (String heading : List.of(USE_IT, ATTENTION)) {
      List<String> own =
          readmeLines(heading).stream().filter(l -> l.startsWith("import ")).toList();
      assertFalse(own.isEmpty(), "the README snippet under " + heading + " shows its imports");
      imports.addAll(own);
    }
    List<String> source = new ArrayList<>(imports);
    source.add("public class Pasted {");
    source.add("  static void run(float[] pixels) throws Exception {");
    source.addAll(readmeSnippet());
    source.addAll(readmeSnippet(ATTENTION));
    source.add("  }");
    source.add("}");
    Path file = Files.write(dir.resolve("Pasted.java"), source);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, null)) {
      boolean ok =
          javac
              .getTask(
                  null,
                  files,
                  diagnostics,
                  List.of("-classpath", classpath, "-d", dir.toString(), "-proc:none"),
                  null,
                  files.getJavaFileObjects(file))
              .call();
      assertTrue(ok, String.join("\n", source) + "\n" + diagnostics.getDiagnostics());
    }
  }

  private static final String USE_IT = "## Use it from Java";
  private static final String ATTENTION = "### Attention maps";
  private static final String ATTENTION_MARKER = "// --- README attention ---";

  /** The snippet's statements (its import lines left out). */
  private static List<String> readmeSnippet() throws IOException {
    return readmeSnippet(USE_IT);
  }

  /** The statements of the first Java snippet under {@code heading}. */
  private static List<String> readmeSnippet(String heading) throws IOException {
    return readmeLines(heading).stream()
        .filter(l -> !l.startsWith("import ") && !l.isEmpty())
        .toList();
  }

  private static List<String> readmeLines(String title) throws IOException {
    List<String> lines = Files.readAllLines(Path.of("../README.md"));
    int heading = lines.indexOf(title);
    assertTrue(heading >= 0, "README has no '" + title + "' section");
    int start = lines.subList(heading, lines.size()).indexOf("```java") + heading + 1;
    int end = lines.subList(start, lines.size()).indexOf("```") + start;
    return lines.subList(start, end).stream().map(l -> l.strip().replaceAll("\\s+", " ")).toList();
  }

  private static List<String> thisSnippet() throws IOException {
    return thisSnippet("// --- README ---");
  }

  /** This file's lines from {@code marker} to the next end marker, the try block closed. */
  private static List<String> thisSnippet(String marker) throws IOException {
    List<String> out = new ArrayList<>();
    boolean in = false;
    for (String line :
        Files.readAllLines(Path.of("src/test/java/dev/vitmae/api/ReadmeJavaTest.java"))) {
      String l = line.strip();
      if (in && l.equals("// --- end ---")) break;
      if (in) out.add(l);
      if (l.equals(marker)) in = true;
    }
    out.add("}");
    return out;
  }
}
