package dev.vitmae.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitmae.api.PastedSnippet;
import dev.vitmae.api.Pretrained;
import dev.vitmae.api.TrainedModel;
import dev.vitmae.api.Training;
import dev.vitmae.datasets.FloatImages;
import dev.vitmae.datasets.ImageSource;
import dev.vitmae.graph.pretrained.Source;
import dev.vitmae.graph.pretrained.WeightMapping;
import dev.vitmae.runtime.ModelOptions;
import dev.vitmae.runtime.VitModel;
import dev.vitmae.upstream.UpstreamFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README.md's "Start from public weights" snippet, run here on timm-written weights (the {@code
 * timm_vit_token} upstream fixture, whose 4 heads the snippet's ViT-Tiny would infer from its
 * width: the only difference, {@code .withHeads(4)}, and the folder {@code
 * target/readme-pretrained/} are taken out before comparing with the README), and compiled with its
 * imports as a user pastes it.
 */
class ReadmePretrainedTest {
  private static final String HEADING = "## Start from public weights";

  @Test
  void readmeSnippetImportsFineTunesExportsAndServes() throws IOException {
    assertEquals(
        String.join("", readmeSnippet()).replaceAll("\\s+", ""),
        String.join("", thisSnippet())
            .replace(".withHeads(4)", "")
            .replace("target/readme-pretrained/", "")
            .replaceAll("\\s+", ""));
    Path dir = Files.createDirectories(Path.of("target/readme-pretrained"));
    Files.copy(
        UpstreamFixture.TIMM_VIT_TOKEN.safetensors(),
        dir.resolve("model.safetensors"),
        StandardCopyOption.REPLACE_EXISTING);
    SplittableRandom rng = new SplittableRandom(4);
    float[] pixels = new float[32 * 3 * 64 * 64];
    for (int i = 0; i < pixels.length; i++) pixels[i] = (float) rng.nextDouble();
    int[] labels = new int[32];
    for (int i = 0; i < labels.length; i++) labels[i] = i % 4;
    ImageSource images = FloatImages.of(pixels, 3, 64).withLabels(labels, 4);
    int kept;
    TrainedModel keptModel;
    // --- README ---
    WeightMapping.Options options =
        WeightMapping.Options.defaults()
            .withHeads(4)
            .withImageSize(64) // 14×14 → 4×4
            .withInputNormalization(
                WeightMapping.Options.IMAGENET_MEAN, WeightMapping.Options.IMAGENET_STD);
    TrainedModel vit =
        Pretrained.load(
            Path.of("target/readme-pretrained/model.safetensors"), Source.TIMM, options);
    TrainedModel tuned =
        Training.fineTune(vit, images.numClasses()).epochs(3).batchSize(32).lr(1e-4).fit(images);
    tuned.exportOnnx(Path.of("target/readme-pretrained/onnx")); // encoder.onnx, classifier.onnx
    try (VitModel model =
        VitModel.open(
            Path.of("target/readme-pretrained/onnx/classifier.onnx"), ModelOptions.defaults())) {
      int label = model.classifier().predict(images.image(0));
      // --- end ---
      kept = label;
      keptModel = tuned;
    }
    assertTrue(kept >= 0 && kept < 4, "label " + kept);
    assertEquals(3, keptModel.checkpoint().progress().step());
    String json = keptModel.checkpoint().modelJson();
    assertTrue(json.contains("\"imageSize\":64"), json);
    var parity = keptModel.parity(dir.resolve("onnx"), images, 8, 1e-5);
    assertTrue(parity.ok(), parity.toString());
  }

  @Test
  void readmeSnippetCompilesWithItsImports(@TempDir Path dir) throws IOException {
    List<String> imports = readmeLines().stream().filter(l -> l.startsWith("import ")).toList();
    assertFalse(imports.isEmpty(), "the README snippet shows its imports");
    PastedSnippet.assertCompiles(
        dir, imports, "dev.vitmae.datasets.ImageSource images", readmeSnippet());
  }

  /** The snippet's statements (its import lines left out). */
  private static List<String> readmeSnippet() throws IOException {
    return readmeLines().stream().filter(l -> !l.startsWith("import ") && !l.isEmpty()).toList();
  }

  private static List<String> readmeLines() throws IOException {
    List<String> lines = Files.readAllLines(Path.of("../README.md"));
    int heading = lines.indexOf(HEADING);
    assertTrue(heading >= 0, "README has no '" + HEADING + "' section");
    int start = lines.subList(heading, lines.size()).indexOf("```java") + heading + 1;
    int end = lines.subList(start, lines.size()).indexOf("```") + start;
    return lines.subList(start, end).stream().map(l -> l.strip().replaceAll("\\s+", " ")).toList();
  }

  private static List<String> thisSnippet() throws IOException {
    List<String> out = new ArrayList<>();
    boolean in = false;
    for (String line :
        Files.readAllLines(Path.of("src/test/java/dev/vitmae/tests/ReadmePretrainedTest.java"))) {
      String l = line.strip();
      if (l.equals("// --- end ---")) break;
      if (in) out.add(l);
      if (l.equals("// --- README ---")) in = true;
    }
    out.add("}");
    return out;
  }
}
