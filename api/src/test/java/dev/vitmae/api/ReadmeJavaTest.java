package dev.vitmae.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitmae.datasets.FloatImages;
import dev.vitmae.datasets.ImageSource;
import dev.vitmae.graph.config.MaeConfig;
import dev.vitmae.graph.config.ViTConfig;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README.md's "Use it from Java" snippets (declare → train → export → serve; resume and fine-tune)
 * and its "Attention maps" snippet, compiled and run here; the test first checks that the README
 * shows exactly the code between the markers below (white space aside) (run in the module
 * directory, the test writes under {@code target/readme/} where the README says {@code onnx}). The
 * snippets' imports are checked by compiling them as written, imports and all, in a class of its
 * own: what a user pastes into a new project.
 */
class ReadmeJavaTest {
  @Test
  void readmeSnippetDeclaresTrainsExportsAndServes() throws IOException {
    // Compared without white space: the formatter may wrap the lines here differently.
    for (Snippet snippet : Snippet.values()) {
      assertEquals(
          String.join("", readmeSnippet(snippet)).replaceAll("\\s+", ""),
          String.join("", thisSnippet(snippet))
              .replace("target/readme/onnx", "onnx")
              .replaceAll("\\s+", ""),
          "README snippet " + snippet);
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
      float[] embedding = model.encoder().embed(images.image(0)).embedding(); // [dim]
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
    // The "Attention maps" snippet goes on with the same run and images.
    float[] keptHeat;
    // --- README attention ---
    run.exporter().attention(true).export(Path.of("target/readme/onnx"), List.of("encoder"));
    try (VitModel model =
        VitModel.open(Path.of("target/readme/onnx/encoder.onnx"), ModelOptions.defaults())) {
      EncoderView encoder = model.encoder();
      AttentionMaps maps = encoder.attention(images.image(0)); // [1, num_patches], last block
      float[] heat = maps.upsampled(0, encoder.info().grid()); // [H, W] in [0, 1], to overlay
      // --- end attention ---
      keptHeat = heat;
      assertEquals(64, maps.numPatches());
    }
    assertEquals(32 * 32, keptHeat.length);
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
    List<String> statements = new ArrayList<>();
    for (Snippet snippet : Snippet.values()) {
      imports.addAll(readmeLines(snippet).stream().filter(l -> l.startsWith("import ")).toList());
      statements.addAll(readmeSnippet(snippet));
    }
    assertFalse(imports.isEmpty(), "the README snippets show their imports");
    PastedSnippet.assertCompiles(dir, imports, "float[] pixels, int[] labels", statements);
  }

  /**
   * The README's Java snippets this test runs: a section's heading, which of its snippets, this
   * file's markers around the same code, and whether that code ends inside its try block.
   */
  private enum Snippet {
    DECLARE_TRAIN_SERVE("## Use it from Java", 0, "", true),
    RESUME_FINE_TUNE("## Use it from Java", 1, " 2", false),
    ATTENTION("### Attention maps", 0, " attention", true);

    final String heading;
    final int block;
    final String marker;
    final boolean endsInTry;

    Snippet(String heading, int block, String marker, boolean endsInTry) {
      this.heading = heading;
      this.block = block;
      this.marker = marker;
      this.endsInTry = endsInTry;
    }
  }

  /** The statements of a README snippet (its import lines left out). */
  private static List<String> readmeSnippet(Snippet snippet) throws IOException {
    return readmeLines(snippet).stream()
        .filter(l -> !l.startsWith("import ") && !l.isEmpty())
        .toList();
  }

  private static List<String> readmeLines(Snippet snippet) throws IOException {
    List<String> lines = Files.readAllLines(Path.of("../README.md"));
    int heading = lines.indexOf(snippet.heading);
    assertTrue(heading >= 0, "README has no '" + snippet.heading + "' section");
    int end = heading;
    int start = heading;
    for (int b = 0; b <= snippet.block; b++) {
      start = lines.subList(end, lines.size()).indexOf("```java") + end + 1;
      assertTrue(start > end, snippet.heading + " has no snippet " + (b + 1));
      end = lines.subList(start, lines.size()).indexOf("```") + start;
    }
    return lines.subList(start, end).stream().map(l -> l.strip().replaceAll("\\s+", " ")).toList();
  }

  /** The code between this test's markers of {@code snippet}. */
  private static List<String> thisSnippet(Snippet snippet) throws IOException {
    String begin = "// --- README" + snippet.marker + " ---";
    String stop = "// --- end" + snippet.marker + " ---";
    List<String> out = new ArrayList<>();
    boolean in = false;
    for (String line :
        Files.readAllLines(Path.of("src/test/java/dev/vitmae/api/ReadmeJavaTest.java"))) {
      String l = line.strip();
      if (l.equals(stop)) break;
      if (in) out.add(l);
      if (l.equals(begin)) in = true;
    }
    if (snippet.endsInTry) out.add("}");
    return out;
  }
}
