package dev.vitmae.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitmae.contract.MaeMasking;
import dev.vitmae.contract.MetadataKey;
import dev.vitmae.contract.ModelKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelInfoTest {

  @TempDir Path dir;

  @Test
  void encoderFixturesReadTheirContract() {
    for (String name : new String[] {Fixtures.ENCODER_FROM_MAE, Fixtures.ENCODER_FROM_VIT}) {
      try (VitModel model = Fixtures.open(name)) {
        ModelInfo info = model.info();
        assertEquals(ModelKind.ENCODER, info.kind(), name);
        assertCommon(info);
        assertEquals(Set.of("images"), info.inputs().keySet());
        assertEquals(Set.of("tokens", "embedding"), info.outputs().keySet());
        assertArrayEquals(new long[] {-1, 16, 16}, info.outputs().get("tokens").shape());
        assertArrayEquals(new long[] {-1, 16}, info.outputs().get("embedding").shape());
        assertTrue(info.metadata().containsKey("vitmae.pool"), name);
      }
    }
  }

  @Test
  void maeFixtureReadsItsContract() {
    try (VitModel model = Fixtures.open(Fixtures.MAE)) {
      ModelInfo info = model.info();
      assertEquals(ModelKind.MAE, info.kind());
      assertCommon(info);
      assertArrayEquals(new long[] {-1, 16}, info.inputs().get("mask").shape());
      assertArrayEquals(new long[] {-1, 1, 28, 28}, info.outputs().get("reconstruction").shape());
      assertTrue(info.metadata("vitmae.mask").isPresent());
    }
  }

  @Test
  void classifierFixtureReadsItsContract() {
    try (VitModel model = Fixtures.open(Fixtures.CLASSIFIER)) {
      ModelInfo info = model.info();
      assertEquals(ModelKind.CLASSIFIER, info.kind());
      assertCommon(info);
      assertArrayEquals(new long[] {-1, 10}, info.outputs().get("logits").shape());
    }
  }

  private static void assertCommon(ModelInfo info) {
    assertEquals(28, info.imageSize());
    assertEquals(1, info.channels());
    assertEquals(7, info.patchSize());
    assertEquals(16, info.numPatches());
    assertEquals(784, info.valuesPerImage());
    TensorSpec images = info.inputs().get("images");
    assertEquals("FLOAT", images.elementType());
    assertArrayEquals(new long[] {-1, 1, 28, 28}, images.shape());
    assertEquals("1", info.metadata().get("vitmae.io_contract"));
    assertEquals("17", info.metadata().get("vitmae.opset"));
    assertEquals(
        "b c (h p1) (w p2) -> b (h w) (p1 p2 c)", info.metadata().get("vitmae.patch_layout"));
    assertTrue(info.metadata().get("vitmae.config").startsWith("{"));
  }

  @Test
  void anOldMaeFileServesTheMaskingRatioOfItsConfig() {
    // The committed fixture predates vitmae.masking_ratio: the ratio comes from its parsed config.
    try (VitModel model = Fixtures.open(Fixtures.MAE)) {
      assertFalse(model.info().metadata().containsKey(MetadataKey.MASKING_RATIO.name()));
      assertEquals(OptionalDouble.of(0.25), model.info().maskingRatio());
      assertEquals(0.25, model.mae().maskingRatio());
    }
  }

  @Test
  void theMaskingRatioKeyIsReadBeforeTheConfig() {
    byte[] bytes =
        ImageServingTest.withMetadata(
            Fixtures.bytes(Fixtures.MAE), Map.of(MetadataKey.MASKING_RATIO.name(), "0.5"));
    try (VitModel model = VitModel.open(bytes, ModelOptions.defaults())) {
      assertEquals(OptionalDouble.of(0.5), model.info().maskingRatio());
      assertEquals(0.5, model.mae().maskingRatio());
    }
  }

  @Test
  void withoutARecordedRatioTheReferenceRatioIsServed() {
    byte[] stripped = TinyOnnx.withoutField(Fixtures.bytes(Fixtures.MAE), 14);
    try (VitModel model = VitModel.open(stripped, ModelOptions.defaults())) {
      assertEquals(OptionalDouble.empty(), model.info().maskingRatio());
      assertEquals(MaeMasking.DEFAULT_RATIO, model.mae().maskingRatio());
    }
  }

  @Test
  void aMalformedMaskingRatioIsRefusedNamingTheKey() {
    byte[] bytes =
        ImageServingTest.withMetadata(
            Fixtures.bytes(Fixtures.MAE), Map.of(MetadataKey.MASKING_RATIO.name(), "1.5"));
    try (VitModel model = VitModel.open(bytes, ModelOptions.defaults())) {
      String message =
          assertThrows(InvalidModelException.class, () -> model.info().maskingRatio()).getMessage();
      assertContains(message, "vitmae.masking_ratio = '1.5' is malformed");
      assertContains(message, "[0, 1)");
    }
  }

  @Test
  void aClassifierReadsItsClassCountAndRecordedNames() {
    try (VitModel model = Fixtures.open(Fixtures.CLASSIFIER)) {
      assertEquals(OptionalInt.of(10), model.info().numClasses());
      assertEquals(List.of(), model.classifier().classNames());
    }
    Map<String, String> names = new java.util.HashMap<>();
    MetadataKey.putClassNames(names, List.of("zero", "one", "two"));
    byte[] bytes = ImageServingTest.withMetadata(Fixtures.bytes(Fixtures.CLASSIFIER), names);
    try (VitModel model = VitModel.open(bytes, ModelOptions.defaults())) {
      assertEquals(List.of("zero", "one", "two"), model.classifier().classNames());
      assertEquals(10, model.classifier().numClasses());
    }
    try (VitModel model = Fixtures.open(Fixtures.MAE)) {
      assertEquals(OptionalInt.empty(), model.info().numClasses());
    }
  }

  @Test
  void opensFromBytes() {
    try (VitModel model = VitModel.open(Fixtures.bytes(Fixtures.MAE), ModelOptions.defaults())) {
      assertEquals(ModelKind.MAE, model.info().kind());
      assertTrue(model.toString().contains("in-memory model"));
    }
  }

  @Test
  void modelsWithoutMetadataAreServedByInputAndOutputNames() {
    Map<String, ModelKind> expected =
        Map.of(
            Fixtures.ENCODER_FROM_VIT,
            ModelKind.ENCODER,
            Fixtures.MAE,
            ModelKind.MAE,
            Fixtures.CLASSIFIER,
            ModelKind.CLASSIFIER);
    expected.forEach(
        (name, kind) -> {
          byte[] stripped = TinyOnnx.withoutField(Fixtures.bytes(name), 14);
          try (VitModel model = VitModel.open(stripped, ModelOptions.defaults())) {
            ModelInfo info = model.info();
            assertTrue(info.metadata().isEmpty(), name);
            assertEquals(kind, info.kind(), name);
            assertEquals(28, info.imageSize());
            assertEquals(1, info.channels());
            if (kind == ModelKind.MAE) {
              assertEquals(16, info.numPatches(), "numPatches from the mask shape");
              assertEquals(7, info.patchSize(), "patch size from 28 / sqrt(16)");
            }
          }
        });
    // ...and they compute what the originals compute.
    float[] images = Fixtures.images(3, 1);
    try (VitModel plain = Fixtures.open(Fixtures.CLASSIFIER);
        VitModel stripped =
            VitModel.open(
                TinyOnnx.withoutField(Fixtures.bytes(Fixtures.CLASSIFIER), 14),
                ModelOptions.defaults())) {
      assertArrayEquals(
          plain.classifier().classify(images, 3), stripped.classifier().classify(images, 3));
    }
  }

  @Test
  void modelWithoutImagesInputIsRejected() {
    byte[] model = TinyOnnx.identity("x", "logits", TinyOnnx.FLOAT, new long[] {-1, 10}, Map.of());
    String message =
        assertThrows(
                InvalidModelException.class, () -> VitModel.open(model, ModelOptions.defaults()))
            .getMessage();
    assertContains(message, "does not follow the vitmae I/O contract");
    assertContains(message, "expected a float32 input 'images'");
    assertContains(message, "x FLOAT [-1, 10]");
  }

  @Test
  void imagesOfWrongRankAreRejected() {
    byte[] model =
        TinyOnnx.identity("images", "logits", TinyOnnx.FLOAT, new long[] {-1, 784}, Map.of());
    String message =
        assertThrows(
                InvalidModelException.class, () -> VitModel.open(model, ModelOptions.defaults()))
            .getMessage();
    assertContains(message, "float32 tensor of rank 4 [batch, channels, height, width]");
    assertContains(message, "found images FLOAT [-1, 784]");
  }

  @Test
  void nonFloatImagesAreRejected() {
    byte[] model =
        TinyOnnx.identity("images", "logits", TinyOnnx.INT64, new long[] {-1, 1, 28, 28}, Map.of());
    String message =
        assertThrows(
                InvalidModelException.class, () -> VitModel.open(model, ModelOptions.defaults()))
            .getMessage();
    assertContains(message, "found images INT64 [-1, 1, 28, 28]");
  }

  @Test
  void unknownOutputsWithoutMetadataAreRejected() {
    byte[] model =
        TinyOnnx.identity(
            "images", "features", TinyOnnx.FLOAT, new long[] {-1, 1, 28, 28}, Map.of());
    String message =
        assertThrows(
                InvalidModelException.class, () -> VitModel.open(model, ModelOptions.defaults()))
            .getMessage();
    assertContains(message, "outputs [features] match no model kind");
  }

  @Test
  void declaredKindWithoutItsOutputIsRejected() {
    byte[] model =
        TinyOnnx.identity(
            "images",
            "features",
            TinyOnnx.FLOAT,
            new long[] {-1, 1, 28, 28},
            Map.of("vitmae.model", "classifier"));
    String message =
        assertThrows(
                InvalidModelException.class, () -> VitModel.open(model, ModelOptions.defaults()))
            .getMessage();
    assertContains(
        message, "expected an output 'logits'; found outputs [features FLOAT [-1, 1, 28, 28]]");
  }

  @Test
  void newerContractVersionIsRejected() {
    byte[] model =
        TinyOnnx.identity(
            "images",
            "logits",
            TinyOnnx.FLOAT,
            new long[] {-1, 10},
            Map.of("vitmae.io_contract", "2"));
    String message =
        assertThrows(
                InvalidModelException.class, () -> VitModel.open(model, ModelOptions.defaults()))
            .getMessage();
    assertContains(message, "vitmae.io_contract is '2', this runtime reads version 1");
  }

  @Test
  void truncatedFileIsRejectedWithItsName() throws IOException {
    byte[] whole = Fixtures.bytes(Fixtures.CLASSIFIER);
    Path truncated = dir.resolve("truncated.onnx");
    Files.write(truncated, Arrays.copyOf(whole, whole.length / 2));
    InvalidModelException e =
        assertThrows(
            InvalidModelException.class, () -> VitModel.open(truncated, ModelOptions.defaults()));
    assertContains(e.getMessage(), truncated.toString());
    assertContains(e.getMessage(), "is not a valid ONNX model");
  }

  @Test
  void garbageFileIsRejectedWithItsName() throws IOException {
    Path garbage = dir.resolve("garbage.onnx");
    byte[] bytes = new byte[4096];
    new java.util.Random(7).nextBytes(bytes);
    Files.write(garbage, bytes);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> VitModel.open(garbage, ModelOptions.defaults()));
    assertContains(e.getMessage(), "garbage.onnx is not a valid ONNX model");
  }

  @Test
  void missingFileIsRejected() {
    Path missing = dir.resolve("nope.onnx");
    String message =
        assertThrows(
                IllegalArgumentException.class,
                () -> VitModel.open(missing, ModelOptions.defaults()))
            .getMessage();
    assertContains(message, "model file not found");
    assertContains(message, "nope.onnx");
  }

  @Test
  void optionsHaveDefaultsWithersAndValidation() {
    ModelOptions d = ModelOptions.defaults();
    assertEquals(new ModelOptions(Device.AUTO, 0, 0, 0, OptimizationLevel.ALL, false, true), d);
    ModelOptions o =
        d.withDevice(Device.CUDA)
            .withCudaDeviceId(1)
            .withIntraOpThreads(2)
            .withInterOpThreads(1)
            .withOptimization(OptimizationLevel.BASIC)
            .withStrictGpu(true)
            .withMemoryPattern(false);
    assertEquals(new ModelOptions(Device.CUDA, 1, 2, 1, OptimizationLevel.BASIC, true, false), o);
    assertContains(
        assertThrows(IllegalArgumentException.class, () -> d.withIntraOpThreads(-1)).getMessage(),
        "intraOpThreads must be >= 0");
    assertContains(
        assertThrows(IllegalArgumentException.class, () -> d.withCudaDeviceId(-1)).getMessage(),
        "cudaDeviceId");
  }

  @Test
  void everyOptimizationLevelOpensAndAgrees() {
    float[] images = Fixtures.images(2, 3);
    float[] reference;
    try (VitModel model = Fixtures.open(Fixtures.CLASSIFIER)) {
      reference = model.classifier().classify(images, 2);
    }
    for (OptimizationLevel level : OptimizationLevel.values()) {
      ModelOptions options =
          ModelOptions.defaults()
              .withDevice(Device.CPU)
              .withOptimization(level)
              .withIntraOpThreads(1)
              .withInterOpThreads(1)
              .withMemoryPattern(false);
      try (VitModel model = VitModel.open(Fixtures.path(Fixtures.CLASSIFIER), options)) {
        assertTrue(
            Fixtures.maxAbsDiff(reference, model.classifier().classify(images, 2)) <= 1e-5f,
            level.name());
      }
    }
  }

  static void assertContains(String message, String part) {
    assertFalse(
        message == null || !message.contains(part), "expected '" + part + "' in: " + message);
  }
}
