package dev.vitmae.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitmae.datasets.FloatImages;
import dev.vitmae.datasets.ImageSource;
import dev.vitmae.graph.config.MaeConfig;
import dev.vitmae.graph.config.ViTConfig;
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
 * README.md's "Use it from Java" snippets (declare → train → export → serve; resume and fine-tune),
 * compiled and run here; the test first checks that the README shows exactly the code between the
 * markers below (white space aside) (run in the module directory, the test writes under {@code
 * target/readme/} where the README says {@code onnx}). The snippets' imports are checked by
 * compiling them as written, imports and all, in a class of its own: what a user pastes into a new
 * project.
 */
class ReadmeJavaTest {
  @Test
  void readmeSnippetDeclaresTrainsExportsAndServes() throws IOException {
    // Compared without white space: the formatter may wrap the lines here differently.
    for (int block = 0; block < 2; block++) {
      assertEquals(
          String.join("", readmeSnippet(block)).replaceAll("\\s+", ""),
          String.join("", thisSnippet(block))
              .replace("target/readme/onnx", "onnx")
              .replaceAll("\\s+", ""),
          "README block " + (block + 1));
    }
    SplittableRandom rng = new SplittableRandom(3);
    float[] pixels = new float[64 * 3 * 32 * 32];
    for (int i = 0; i < pixels.length; i++) pixels[i] = (float) rng.nextDouble();
    int[] labels = new int[64];
    for (int i = 0; i < labels.length; i++) labels[i] = rng.nextInt(10);
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
    // --- README 2 ---
    TrainedModel longer = Training.resume(run.checkpoint()).epochs(4).fit(images);
    ViTConfig vit = mae.encoder().toBuilder().numClasses(10).build();
    ImageSource labelled = FloatImages.of(pixels, 3, 32).withLabels(labels, 10);
    TrainedModel tuned =
        Training.of(vit)
            .initEncoder(longer.checkpoint())
            .fineTune(0.75, false)
            .labels(32, 0)
            .epochs(2)
            .batchSize(16)
            .fit(labelled); // 32 labelled images
    // --- end 2 ---
    assertEquals(8, longer.checkpoint().progress().step(), "2 more epochs of 2 steps");
    assertEquals(4, tuned.checkpoint().progress().step(), "2 epochs of 32 images in 16s");
    assertFalse(tuned.checkpoint().lrScales().isEmpty());
    assertEquals(64, kept.length);
    assertEquals(4, run.checkpoint().progress().step());
    assertTrue(Files.exists(Path.of("target/readme/onnx/mae.onnx")));
    Parity.Report parity = run.parity(Path.of("target/readme/onnx"), images, 8, 1e-5);
    assertTrue(parity.ok(), parity.toString());
  }

  @Test
  void readmeSnippetCompilesWithItsImports(@TempDir Path dir) throws IOException {
    List<String> imports = new ArrayList<>();
    for (int block = 0; block < 2; block++) {
      imports.addAll(readmeLines(block).stream().filter(l -> l.startsWith("import ")).toList());
    }
    assertFalse(imports.isEmpty(), "the README snippet shows its imports");
    List<String> source = new ArrayList<>(imports);
    source.add("public class Pasted {");
    source.add("  static void run(float[] pixels, int[] labels) throws Exception {");
    source.addAll(readmeSnippet(0));
    source.addAll(readmeSnippet(1));
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

  /** The statements of the section's {@code block}-th snippet (its import lines left out). */
  private static List<String> readmeSnippet(int block) throws IOException {
    return readmeLines(block).stream()
        .filter(l -> !l.startsWith("import ") && !l.isEmpty())
        .toList();
  }

  private static List<String> readmeLines(int block) throws IOException {
    List<String> lines = Files.readAllLines(Path.of("../README.md"));
    int heading = lines.indexOf("## Use it from Java");
    assertTrue(heading >= 0, "README has no 'Use it from Java' section");
    int end = heading;
    int start = heading;
    for (int b = 0; b <= block; b++) {
      start = lines.subList(end, lines.size()).indexOf("```java") + end + 1;
      assertTrue(start > end, "README's Java section has no snippet " + (b + 1));
      end = lines.subList(start, lines.size()).indexOf("```") + start;
    }
    return lines.subList(start, end).stream().map(l -> l.strip().replaceAll("\\s+", " ")).toList();
  }

  /** The code between this test's markers of {@code block} (0: the first snippet). */
  private static List<String> thisSnippet(int block) throws IOException {
    String begin = block == 0 ? "// --- README ---" : "// --- README " + (block + 1) + " ---";
    String stop = block == 0 ? "// --- end ---" : "// --- end " + (block + 1) + " ---";
    List<String> out = new ArrayList<>();
    boolean in = false;
    for (String line :
        Files.readAllLines(Path.of("src/test/java/dev/vitmae/api/ReadmeJavaTest.java"))) {
      String l = line.strip();
      if (l.equals(stop)) break;
      if (in) out.add(l);
      if (l.equals(begin)) in = true;
    }
    if (block == 0) out.add("}"); // the first snippet ends inside its try block
    return out;
  }
}
