package dev.vitmae.graph.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitmae.datasets.masks.MultiBlockConfig;
import org.junit.jupiter.api.Test;

/** Config records: JSON round trips, validation in the constructors, strict reading. */
class ConfigTest {
  @Test
  void referenceConfigsRoundTripThroughJson() {
    MaeConfig mae = MaeConfig.reference();
    assertEquals(mae, RecordJson.read(MaeConfig.class, RecordJson.write(mae)));
    ViTConfig vit = new ViTConfig(32, 4, 3, 64, 2, 4, 16, 96, 7, Pooling.MEAN, PosEmbedding.SINCOS);
    assertEquals(vit, RecordJson.read(ViTConfig.class, RecordJson.write(vit)));
    TrainConfig train =
        new TrainConfig(5, 64, 3e-4, 0.85, 0.95, 1e-6, 0.05, 100, true, 1e-6, 16, -3);
    assertEquals(train, RecordJson.read(TrainConfig.class, RecordJson.write(train)));
  }

  @Test
  void ijepaConfigRoundTripsAndRejectsWhatTheGraphCannotDo() {
    IjepaConfig ijepa = IjepaConfig.reference();
    assertEquals(ijepa, RecordJson.read(IjepaConfig.class, RecordJson.write(ijepa)));
    var m = ijepa.masks();
    var wrongGrid = MultiBlockConfig.defaultsFor(7, 7);
    var twoContexts =
        new MultiBlockConfig(4, 4, 4, 0.15, 0.2, 0.75, 1.5, 2, 0.85, 1, 1, 1, 1, false);
    var overlap = new MultiBlockConfig(4, 4, 4, 0.15, 0.2, 0.75, 1.5, 1, 0.85, 1, 1, 1, 1, true);
    var e = ViTConfig.reference();
    assertMessage(
        "mask grid 7x7 differs", () -> new IjepaConfig(e, 64, 2, 4, 32, 256, wrongGrid, 0.996, 1));
    assertMessage("nEnc = 1", () -> new IjepaConfig(e, 64, 2, 4, 32, 256, twoContexts, 0.996, 1));
    assertMessage("allowOverlap", () -> new IjepaConfig(e, 64, 2, 4, 32, 256, overlap, 0.996, 1));
    assertMessage("emaStart <= emaEnd", () -> new IjepaConfig(e, 64, 2, 4, 32, 256, m, 1, 0.99));
    assertMessage("predictorDepth", () -> new IjepaConfig(e, 64, 0, 4, 32, 256, m, 0.996, 1));
  }

  private static void assertMessage(String part, org.junit.jupiter.api.function.Executable build) {
    String message = assertThrows(IllegalArgumentException.class, build).getMessage();
    assertTrue(message.contains(part), message);
  }

  @Test
  void referenceMatchesTheDesign() {
    MaeConfig m = MaeConfig.reference();
    assertEquals(16, m.encoder().numPatches());
    assertEquals(49, m.encoder().patchDim());
    assertEquals(4, m.numMasked());
    assertEquals(512, m.decoderDim());
    assertEquals(1e-4, TrainConfig.reference(3).lr());
    assertEquals(512, TrainConfig.reference(3).batchSize());
  }

  @Test
  void invalidValuesAreRejectedWithTheFieldName() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new ViTConfig(28, 5, 1, 128, 1, 8, 64, 128, 10, Pooling.CLS, PosEmbedding.LEARNED));
    assertTrue(e.getMessage().contains("divisible by patchSize 5"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new MaeConfig(ViTConfig.reference(), 0.01, 512, 1, 8, 64, 2048, false));
    assertTrue(e.getMessage().contains("masks 0 of 16"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new TrainConfig(1, 8, -1, 0.9, 0.999, 1e-8, 0, 0, false, 0, 0, 1));
    assertTrue(e.getMessage().contains("lr must be > 0"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new ViTConfig(28, 7, 1, 130, 1, 8, 64, 128, 10, Pooling.CLS, PosEmbedding.SINCOS));
    assertTrue(e.getMessage().contains("divisible by 4"), e.getMessage());
  }

  @Test
  void readingIsStrict() {
    String json = RecordJson.write(ViTConfig.reference());
    var unknown =
        assertThrows(
            IllegalArgumentException.class,
            () -> RecordJson.read(ViTConfig.class, json.replace("\"depth\"", "\"deepness\"")));
    assertTrue(unknown.getMessage().contains("unknown field 'deepness'"), unknown.getMessage());
    var bad =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                RecordJson.read(
                    ViTConfig.class, json.replace("\"pool\":\"CLS\"", "\"pool\":\"MAX\"")));
    assertTrue(bad.getMessage().contains("ViTConfig.pool"), bad.getMessage());
    var broken =
        assertThrows(
            IllegalArgumentException.class,
            () -> RecordJson.read(ViTConfig.class, json.substring(0, json.length() - 5)));
    assertTrue(broken.getMessage().contains("config JSON at character"), broken.getMessage());
    var invalid =
        assertThrows(
            IllegalArgumentException.class,
            () -> RecordJson.read(ViTConfig.class, json.replace("\"heads\":8", "\"heads\":0")));
    assertTrue(invalid.getMessage().contains("heads must be > 0"), invalid.getMessage());
  }

  @Test
  void warmupCosineSchedule() {
    TrainConfig t = new TrainConfig(1, 8, 1e-3, 0.9, 0.999, 1e-8, 0, 10, true, 1e-5, 0, 1);
    assertEquals(1e-4, t.lrAt(0, 110), 1e-12);
    assertEquals(1e-3, t.lrAt(9, 110), 1e-12);
    assertEquals(1e-3, t.lrAt(10, 110), 1e-12);
    assertEquals(1e-5 + 0.5 * (1e-3 - 1e-5), t.lrAt(60, 110), 1e-12);
    assertEquals(1e-5, t.lrAt(110, 110), 1e-12);
  }
}
