package dev.vitmae.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitmae.contract.MetadataKey;
import dev.vitmae.datasets.ImageDataset;
import dev.vitmae.datasets.Provenance;
import dev.vitmae.datasets.SyntheticDigits;
import dev.vitmae.graph.config.IjepaConfig;
import dev.vitmae.graph.config.MaeConfig;
import dev.vitmae.graph.config.Pooling;
import dev.vitmae.graph.config.ViTConfig;
import dev.vitmae.graph.train.Checkpoint;
import dev.vitmae.graph.train.LayerDecay;
import dev.vitmae.images.Preprocessing;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the command line does, through the API: exact resume of a fine-tuning run (its lr scales
 * stored in the checkpoint), an encoder initialized from an I-JEPA checkpoint, label subsets,
 * presets, and the data's provenance recorded in the checkpoint.
 */
class TrainingTest {
  static final ViTConfig VIT =
      ViTConfig.builder()
          .dim(16)
          .depth(2)
          .heads(2)
          .dimHead(8)
          .mlpDim(16)
          .pool(Pooling.MEAN)
          .build();
  static final ImageDataset IMAGES = SyntheticDigits.generate("digits", 48, 5);

  static Training fineTuning() {
    return Training.of(VIT)
        .epochs(2)
        .batchSize(8)
        .lr(1e-3)
        .seed(4)
        .fineTune(0.5, false)
        .labels(32, 9)
        .engine(Engine.SAMEDIFF)
        .microBatchSize(0);
  }

  @Test
  void aFineTuningRunResumesExactlyFromItsCheckpointFile(@TempDir Path tmp) throws IOException {
    TrainedModel straight = fineTuning().fit(IMAGES);
    TrainedModel half = fineTuning().maxEpochs(1).fit(IMAGES);
    Path file = tmp.resolve("checkpoint.zip");
    half.save(file);
    Checkpoint saved = Checkpoint.read(file);
    assertEquals(1, saved.progress().epochsDone());
    assertEquals(
        LayerDecay.scales(List.copyOf(saved.params().keySet()), VIT.depth(), 0.5, false),
        saved.lrScales(),
        "the lr scales are data of the checkpoint");
    assertEquals("32", saved.info().get(MetadataKey.LABELS.name()));

    Training resumed = Training.resume(file).labels(32, 9).engine(Engine.SAMEDIFF);
    assertTrue(resumed.isResume());
    assertEquals(0, resumed.trainConfig().microBatchSize(), "the checkpoint's settings");
    TrainedModel done = resumed.fit(IMAGES);
    assertEquals(straight.checkpoint().progress().step(), done.checkpoint().progress().step());
    assertEquals(8, done.checkpoint().progress().step(), "2 epochs of 32 images in batches of 8");
    for (String name : straight.checkpoint().params().keySet()) {
      assertArrayEquals(
          straight.checkpoint().params().get(name).data(),
          done.checkpoint().params().get(name).data(),
          0f,
          name);
    }
    assertEquals(saved.lrScales(), done.checkpoint().lrScales());
  }

  @Test
  void anEncoderStartsFromAnIjepaCheckpointsTargetOrContextEncoder() throws IOException {
    IjepaConfig ijepa = IjepaConfig.of(VIT.toBuilder().numClasses(10).build());
    Checkpoint source =
        Training.of(ijepa)
            .epochs(1)
            .batchSize(16)
            .engine(Engine.SAMEDIFF)
            .fit(IMAGES.head(16))
            .checkpoint();
    for (Training.IjepaEncoder which : Training.IjepaEncoder.values()) {
      Map<String, Checkpoint.Tensor> expected =
          which == Training.IjepaEncoder.TARGET ? source.ema() : source.params();
      try (Training.Run run = Training.of(VIT).initEncoder(source, which).start(IMAGES)) {
        assertEquals(which == Training.IjepaEncoder.TARGET, run.encoderIsIjepaTarget());
        assertFalse(run.initializedEncoder().isEmpty());
        for (String name : run.initializedEncoder()) {
          assertArrayEquals(
              expected.get(name).data(),
              run.trainer().params().get(name).dup().data().asFloat(),
              0f,
              which + " " + name);
        }
      }
    }
    var mae = Training.of(MaeConfig.reference()).fineTune(0.5, true);
    assertThrows(IllegalArgumentException.class, () -> mae.start(IMAGES));
  }

  @Test
  void theCheckpointRecordsTheDataItWasTrainedOn() throws IOException {
    TrainedModel run =
        Training.of(VIT).epochs(1).batchSize(16).engine(Engine.SAMEDIFF).fit(IMAGES.head(16));
    Map<String, String> info = run.checkpoint().info();
    assertEquals(
        Preprocessing.of(28, 1),
        Preprocessing.fromMetadata(info),
        "bytes stored at the model's size: the identity preprocessing");
    Map<String, String> recorded = new java.util.TreeMap<>(info);
    recorded.keySet().removeIf(k -> !Provenance.isKey(k));
    assertEquals(new java.util.TreeMap<>(IMAGES.provenance().toMetadata()), recorded);
  }

  @Test
  void theSmallPresetIsANamedFactory() {
    assertEquals(4, MaeConfig.small().encoder().patchSize());
    assertEquals(0.75, MaeConfig.small().maskingRatio());
    assertEquals(ViTConfig.small(), IjepaConfig.small().encoder());
    assertEquals(ViTConfig.small(), MaeConfig.small().encoder());
  }
}
