package dev.vitmae.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitmae.api.Parity;
import dev.vitmae.contract.ModelKind;
import dev.vitmae.contract.TensorNames;
import dev.vitmae.datasets.FloatImages;
import dev.vitmae.datasets.ImageSource;
import dev.vitmae.examples.BrightnessTask;
import dev.vitmae.export.CheckpointExporter;
import dev.vitmae.graph.config.TrainConfig;
import dev.vitmae.graph.config.ViTConfig;
import dev.vitmae.graph.train.Checkpoint;
import dev.vitmae.graph.train.Listeners;
import dev.vitmae.graph.train.Task;
import dev.vitmae.graph.train.Tasks;
import dev.vitmae.graph.train.Trainer;
import dev.vitmae.runtime.ModelOptions;
import dev.vitmae.runtime.NamedTensor;
import dev.vitmae.runtime.VitModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A user-defined model ({@link BrightnessTask}: not a vitmae kind) goes the whole way: trained,
 * checkpointed and resumed bit for bit, reopened through its {@code TaskFactory}, exported with
 * metadata, and served by the runtime's generic call within 1e-5 of SameDiff.
 */
class CustomModelTest {
  /** Passed explicitly (the examples jar also lists it for ServiceLoader). */
  static final dev.vitmae.graph.train.TaskFactory FACTORY = new BrightnessTask.Factory();

  static final ViTConfig ENCODER =
      ViTConfig.builder()
          .imageSize(16)
          .patchSize(4)
          .channels(3)
          .dim(16)
          .heads(2)
          .dimHead(8)
          .mlpDim(32)
          .build();
  static final TrainConfig TRAIN =
      TrainConfig.builder()
          .epochs(2)
          .batchSize(8)
          .lr(3e-3)
          .warmupSteps(2)
          .cosine(true)
          .microBatchSize(0)
          .seed(9)
          .build();

  /** 24 random RGB 16×16 images in [0, 1], unlabelled. */
  static ImageSource images() {
    SplittableRandom rng = new SplittableRandom(5);
    float[] px = new float[24 * 3 * 16 * 16];
    for (int i = 0; i < px.length; i++) px[i] = (float) rng.nextDouble();
    return FloatImages.of(px, 3, 16).named("random-rgb");
  }

  @Test
  void trainsResumesExportsAndServesAModelOfItsOwnKind(@TempDir Path dir) throws IOException {
    ImageSource data = images();
    Trainer straight = new Trainer(new BrightnessTask(ENCODER), TRAIN);
    straight.fit(data, Listeners.checkpoint(dir.resolve("straight.zip")));

    Path split = dir.resolve("split.zip");
    new Trainer(new BrightnessTask(ENCODER), TRAIN)
        .fit(data, 1, List.of(Listeners.checkpoint(split)));
    Checkpoint afterOne = Checkpoint.read(split);
    assertEquals(BrightnessTask.KIND, afterOne.kind());
    // An unknown kind says what to do.
    IllegalArgumentException unknown =
        assertThrows(
            IllegalArgumentException.class, () -> Tasks.of("no-such-kind", afterOne.modelJson()));
    assertTrue(
        unknown.getMessage().contains("'no-such-kind'")
            && unknown.getMessage().contains("TaskFactory"),
        unknown.getMessage());
    assertEquals(BrightnessTask.KIND, Tasks.of(afterOne).kind(), "found through ServiceLoader");
    Trainer resumed = Tasks.restore(afterOne, FACTORY);
    resumed.fit(data, Listeners.checkpoint(split));
    assertEquals(straight.step(), resumed.step());
    Checkpoint a = straight.checkpoint();
    Checkpoint b = Checkpoint.read(split);
    for (String name : a.params().keySet()) {
      assertArrayEquals(a.params().get(name).data(), b.params().get(name).data(), 0f, name);
      assertArrayEquals(a.adamM().get(name).data(), b.adamM().get(name).data(), 0f, name);
    }

    CheckpointExporter exporter = CheckpointExporter.of(b, FACTORY);
    assertEquals(List.of("brightness"), exporter.available());
    List<Path> files = exporter.export(dir.resolve("onnx"));
    assertEquals(List.of(dir.resolve("onnx/brightness.onnx")), files);

    int batch = 7;
    float[] pixels = new float[batch * data.valuesPerImage()];
    data.fill(Task.range(0, batch), pixels, 0);
    INDArray expected =
        exporter
            .inferenceGraph("brightness")
            .output(
                Map.of(TensorNames.IMAGES, Nd4j.create(pixels, new long[] {batch, 3, 16, 16}, 'c')),
                BrightnessTask.OUTPUT)
            .get(BrightnessTask.OUTPUT);
    try (VitModel served = VitModel.open(files.get(0), ModelOptions.defaults())) {
      assertEquals(ModelKind.CUSTOM, served.info().kind());
      assertEquals("brightness", served.info().name());
      assertEquals(16, served.info().imageSize());
      assertEquals("brightness", served.info().metadata("vitmae.source_kind").orElseThrow());
      NamedTensor out =
          served.run(Map.of(TensorNames.IMAGES, pixels), batch).get(BrightnessTask.OUTPUT);
      assertArrayEquals(new long[] {batch, 1}, out.shape());
      float[] want = expected.dup('c').data().asFloat();
      double maxDiff = 0;
      for (int i = 0; i < want.length; i++)
        maxDiff = Math.max(maxDiff, Math.abs(want[i] - out.data()[i]));
      System.out.printf(
          "custom model parity: brightness max|Δ| = %.3g (tolerance 1e-5)%n", maxDiff);
      assertTrue(maxDiff <= 1e-5, "max |Δ| " + maxDiff);
      // The generic call keeps the runtime's validation.
      IllegalArgumentException missing =
          assertThrows(
              IllegalArgumentException.class, () -> served.run(Map.of("pixels", pixels), batch));
      assertTrue(missing.getMessage().contains("takes inputs [images]"), missing.getMessage());
      UnsupportedOperationException notAnEncoder =
          assertThrows(
              UnsupportedOperationException.class,
              () -> served.encoder().embed(new float[3 * 16 * 16]));
      assertTrue(
          notAnEncoder.getMessage().contains("needs an encoder model")
              && notAnEncoder.getMessage().contains("is a brightness model"),
          notAnEncoder.getMessage());
    }
    Parity.Report report = Parity.check(b, dir.resolve("onnx"), data, 16, 1e-5, FACTORY);
    assertTrue(report.ok(), report.toString());
  }
}
