package dev.vitmae.graph.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitmae.contract.TensorNames;
import dev.vitmae.datasets.DatasetSplits;
import dev.vitmae.datasets.ImageSource;
import dev.vitmae.datasets.SyntheticDigits;
import dev.vitmae.graph.Tiny;
import dev.vitmae.graph.config.MaeConfig;
import dev.vitmae.graph.config.TrainConfig;
import dev.vitmae.graph.config.ViTConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Training loop, resume equivalence, checkpoint validation and the NaN guard, on tiny models. */
class TrainerTest {
  static final ViTConfig VIT = Tiny.vit().toBuilder().depth(1).mlpDim(16).build();
  static final MaeConfig MAE =
      Tiny.mae(VIT).toBuilder().decoderDim(16).decoderDimHead(8).decoderMlpDim(32).build();

  /** Warm-up then cosine, so a resume that lost the step count would diverge from the reference. */
  static final TrainConfig TRAIN =
      TrainConfig.builder()
          .epochs(3)
          .batchSize(16)
          .lr(3e-3)
          .weightDecay(0.01)
          .warmupSteps(3)
          .cosine(true)
          .minLr(1e-4)
          .microBatchSize(0)
          .seed(7)
          .build();

  static DatasetSplits data;

  @BeforeAll
  static void data() {
    data =
        new DatasetSplits(
            SyntheticDigits.generate("synthetic-train", 48, 1),
            SyntheticDigits.generate("synthetic-test", 20, 2));
  }

  @Test
  void resumedRunEqualsUninterruptedRun(@TempDir Path dir) throws IOException {
    Trainer straight = new Trainer(new MaeTask(MAE), TRAIN);
    straight.fit(
        data.train(),
        Integer.MAX_VALUE,
        Listeners.runDirectory(dir.resolve("straight"), data.requireTest(), 256));

    Trainer first = new Trainer(new MaeTask(MAE), TRAIN);
    first.fit(
        data.train(), 1, Listeners.runDirectory(dir.resolve("split"), data.requireTest(), 256));
    Checkpoint saved = Checkpoint.read(dir.resolve("split").resolve(Trainer.CHECKPOINT));
    assertEquals(1, saved.progress().epochsDone());
    Trainer resumed = Trainer.resume(new MaeTask(MAE), TRAIN, saved);
    resumed.fit(
        data.train(),
        Integer.MAX_VALUE,
        Listeners.runDirectory(dir.resolve("split"), data.requireTest(), 256));

    assertEquals(straight.step(), resumed.step());
    var expected = straight.checkpoint();
    var actual = resumed.checkpoint();
    for (String name : expected.params().keySet()) {
      assertArrayEquals(
          expected.params().get(name).data(), actual.params().get(name).data(), 0f, name);
      assertArrayEquals(
          expected.adamV().get(name).data(), actual.adamV().get(name).data(), 0f, name);
    }
    List<String> lines = Files.readAllLines(dir.resolve("split").resolve(Trainer.METRICS));
    assertEquals(4, lines.size(), "header + 3 epochs: " + lines);
    assertTrue(lines.get(0).contains("test_masked_mse"));
  }

  @Test
  void maeEvaluationDoesNotDependOnBatchSize() {
    Trainer trainer = new Trainer(new MaeTask(MAE), TRAIN);
    double a = trainer.evaluate(data.requireTest(), 7);
    double b = trainer.evaluate(data.requireTest(), 20);
    assertEquals(a, b, 1e-6);
  }

  @Test
  void trainingLowersTheLoss() throws IOException {
    Trainer trainer = new Trainer(new MaeTask(MAE), TRAIN.withEpochs(1));
    var feeds =
        trainer.task().feeds(Batch.read(data.train(), new int[] {0, 1, 2, 3, 4, 5, 6, 7}, 1));
    trainer.planSteps(31);
    double before = trainer.trainStep(feeds, 3e-3);
    double after = before;
    for (int i = 0; i < 30; i++) after = trainer.trainStep(feeds, 3e-3);
    assertTrue(after < 0.7 * before, "loss " + before + " -> " + after);
  }

  @Test
  void microBatchesGiveTheFullBatchUpdate() {
    assertMicroBatchesGiveTheFullBatchGradient(() -> new MaeTask(MAE));
  }

  /** The same loss and gradients for a batch of 16 whole and in micro-batches of 5, 5, 5 and 1. */
  static void assertMicroBatchesGiveTheFullBatchGradient(java.util.function.Supplier<Task> task) {
    TrainConfig whole = TRAIN.withEpochs(1);
    TrainConfig split = whole.toBuilder().microBatchSize(5).build();
    Trainer a = new Trainer(task.get(), whole);
    Trainer b = new Trainer(task.get(), split);
    int[] batch = Task.range(0, 16);
    // Chunks of 5, 5, 5 and 1: unequal sizes must still be weighted exactly.
    Trainer.Gradients ga = a.gradients(a.task().feeds(Batch.read(data.train(), batch, 3)));
    Trainer.Gradients gb = b.gradients(b.task().feeds(Batch.read(data.train(), batch, 3)));
    assertEquals(ga.loss(), gb.loss(), 1e-6);
    assertEquals(ga.byParam().keySet(), gb.byParam().keySet());
    for (String name : ga.byParam().keySet()) {
      INDArray x = ga.byParam().get(name);
      INDArray y = gb.byParam().get(name);
      double scale = Math.max(1e-6, x.amaxNumber().doubleValue());
      // float32 sums in another order: agreement to ~1e-5 of the largest element.
      assertTrue(
          x.sub(y).amaxNumber().doubleValue() <= 1e-5 * scale + 1e-9,
          name + ": max |diff| " + x.sub(y).amaxNumber() + " vs max |g| " + scale);
    }
  }

  @Test
  void checkpointRoundTripsExactly(@TempDir Path dir) throws IOException {
    Trainer trainer = new Trainer(new VitTask(VIT), TRAIN.withEpochs(1));
    trainer.fit(data.train(), 1, Listeners.runDirectory(dir, data.requireTest(), 256));
    Checkpoint a = trainer.checkpoint();
    Checkpoint b = Checkpoint.read(dir.resolve(Trainer.CHECKPOINT));
    assertEquals(a.kind(), b.kind());
    assertEquals(a.modelJson(), b.modelJson());
    assertEquals(a.train(), b.train());
    assertEquals(a.progress(), b.progress());
    assertEquals(a.params().keySet(), b.params().keySet());
    a.params().forEach((k, t) -> assertArrayEquals(t.data(), b.params().get(k).data(), 0f, k));
    try (var files = Files.list(dir)) {
      assertFalse(files.anyMatch(f -> f.toString().endsWith(".tmp")), "no temp file left");
    }
  }

  @Test
  void truncatedCheckpointIsRefused(@TempDir Path dir) throws IOException {
    Path file = savedCheckpoint(dir);
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    var e = assertThrows(CheckpointException.class, () -> Checkpoint.read(file));
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
  }

  @Test
  void corruptTensorIsRefused(@TempDir Path dir) throws IOException {
    Path file = savedCheckpoint(dir);
    byte[] bytes = Files.readAllBytes(file);
    // Flip a byte in the middle of the file: inside a STORED tensor entry.
    bytes[bytes.length / 2] ^= 0x5a;
    Files.write(file, bytes);
    var e = assertThrows(CheckpointException.class, () -> Checkpoint.read(file));
    assertTrue(e.getMessage().contains("corrupt (CRC-32 mismatch)"), e.getMessage());
  }

  @Test
  void notACheckpointIsRefused(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("model.zip");
    Files.writeString(file, "hello");
    var e = assertThrows(CheckpointException.class, () -> Checkpoint.read(file));
    assertTrue(e.getMessage().contains("not a vitmae checkpoint"), e.getMessage());
    var missing = assertThrows(CheckpointException.class, () -> Checkpoint.read(dir.resolve("no")));
    assertTrue(missing.getMessage().contains("no such file"), missing.getMessage());
  }

  @Test
  void incompatibleCheckpointIsRefused(@TempDir Path dir) throws IOException {
    Checkpoint vit = Checkpoint.read(savedCheckpoint(dir));
    var wrongKind =
        assertThrows(CheckpointException.class, () -> Trainer.resume(new MaeTask(MAE), TRAIN, vit));
    assertTrue(wrongKind.getMessage().contains("holds a vit"), wrongKind.getMessage());
    ViTConfig wider = VIT.toBuilder().dim(32).build();
    var wrongShape =
        assertThrows(
            CheckpointException.class,
            () -> new Trainer(new VitTask(wider), TRAIN).loadParams(vit.params(), false));
    assertTrue(wrongShape.getMessage().contains("but the model expects"), wrongShape.getMessage());
  }

  @Test
  void maeStartsFromTrainedVitEncoder(@TempDir Path dir) throws IOException {
    Checkpoint vit = Checkpoint.read(savedCheckpoint(dir));
    Trainer mae = new Trainer(new MaeTask(MAE), TRAIN);
    List<String> copied = mae.loadParams(vit.params(), true);
    assertTrue(copied.size() >= 10, "copied " + copied);
    assertTrue(copied.stream().allMatch(n -> n.startsWith("encoder/")), "copied " + copied);
    Map<String, Checkpoint.Tensor> now = mae.checkpoint().params();
    for (String name : copied) {
      assertArrayEquals(vit.params().get(name).data(), now.get(name).data(), 0f, name);
    }
  }

  @Test
  void divergenceStopsAndKeepsLastGoodCheckpoint(@TempDir Path dir) throws IOException {
    Path file = savedCheckpoint(dir);
    byte[] good = Files.readAllBytes(file);
    // A data pipeline that delivers NaN pixels, from the second epoch on.
    Task poisoned = new NanPixels(new VitTask(VIT));
    Trainer trainer = Trainer.resume(poisoned, TRAIN.withEpochs(2), Checkpoint.read(file));
    var e =
        assertThrows(
            TrainingDivergedException.class,
            () ->
                trainer.fit(
                    data.train(),
                    Integer.MAX_VALUE,
                    Listeners.runDirectory(dir, data.requireTest(), 256)));
    assertTrue(e.getMessage().contains("diverged at epoch 2"), e.getMessage());
    assertArrayEquals(good, Files.readAllBytes(file), "last good checkpoint untouched");
  }

  /** A 1-epoch ViT checkpoint in {@code dir}. */
  private static Path savedCheckpoint(Path dir) throws IOException {
    new Trainer(new VitTask(VIT), TRAIN.withEpochs(1))
        .fit(data.train(), 1, Listeners.runDirectory(dir, data.requireTest(), 256));
    return dir.resolve(Trainer.CHECKPOINT);
  }

  /** Delegates to a task but puts a NaN into every batch of images. */
  private record NanPixels(Task task) implements Task {
    public String kind() {
      return task.kind();
    }

    public String configJson() {
      return task.configJson();
    }

    public org.nd4j.autodiff.samediff.SameDiff build(
        org.nd4j.linalg.api.buffer.DataType t, long s) {
      return task.build(t, s);
    }

    public Map<String, INDArray> feeds(Batch batch) {
      Map<String, INDArray> feeds = task.feeds(batch);
      feeds.get(TensorNames.IMAGES).putScalar(0, Float.NaN);
      return feeds;
    }

    public String metricName() {
      return task.metricName();
    }

    public java.util.List<InferenceModel> inferenceModels() {
      return task.inferenceModels();
    }

    public double evaluate(
        org.nd4j.autodiff.samediff.SameDiff sd, Forwards forwards, ImageSource d, int b) {
      return task.evaluate(sd, forwards, d, b);
    }
  }
}
