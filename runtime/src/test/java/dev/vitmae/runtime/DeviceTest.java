package dev.vitmae.runtime;

import static dev.vitmae.runtime.ModelInfoTest.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

class DeviceTest {

  /** The GPU build of ONNX Runtime on a machine with an NVIDIA driver. */
  static boolean cudaUsable() {
    return OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)
        && Files.exists(Path.of("/proc/driver/nvidia/version"));
  }

  @Test
  void strictCudaWithoutTheProviderThrowsGpuUnavailable() {
    assumeFalse(cudaUsable(), "CUDA is usable here");
    ModelOptions options = ModelOptions.defaults().withDevice(Device.CUDA).withStrictGpu(true);
    GpuUnavailableException e =
        assertThrows(
            GpuUnavailableException.class,
            () -> VitModel.open(Fixtures.path(Fixtures.CLASSIFIER), options));
    String message = e.getMessage();
    assertFalse(e.problem().contains("Device."), "the problem alone, no advice: " + e.problem());
    assertContains(message, "Device.AUTO / Device.CPU");
    assertContains(message, "CUDA execution provider could not be loaded");
    assertContains(message, "classifier.onnx");
    assertContains(message, "Maven profile 'gpu'");
    assertContains(message, "onnxruntime_gpu");
    assertContains(message, "CUDA 12 and cuDNN 9");
  }

  @Test
  void autoUsesTheCpuQuietlyWhenTheBuildHasNoCuda() {
    assumeFalse(cudaUsable(), "CUDA is usable here");
    String log =
        stderrOf(
            () -> {
              try (VitModel model =
                  VitModel.open(Fixtures.path(Fixtures.CLASSIFIER), ModelOptions.defaults())) {
                assertEquals("CPUExecutionProvider", model.executionProvider());
                assertEquals(10, model.classifier().classify(Fixtures.images(1, 41)).length);
              }
              return null;
            });
    if (ai.onnxruntime.OrtEnvironment.getAvailableProviders()
        .contains(ai.onnxruntime.OrtProvider.CUDA)) {
      // CUDA compiled in but not usable: a degradation worth a warning.
      assertContains(log, "WARN");
      assertContains(log, "CUDA execution provider unavailable");
    } else {
      assertFalse(log.contains("WARN"), log);
      assertContains(log, "has no CUDA provider");
    }
    assertContains(log, "running on the CPU");
  }

  @Test
  void nonStrictCudaFallsBackToCpu() {
    assumeFalse(cudaUsable(), "CUDA is usable here");
    String log =
        stderrOf(
            () -> {
              try (VitModel model =
                  VitModel.open(
                      Fixtures.path(Fixtures.MAE),
                      ModelOptions.defaults().withDevice(Device.CUDA).withCudaDeviceId(1))) {
                assertEquals("CPUExecutionProvider", model.executionProvider());
              }
              return null;
            });
    assertContains(log, "CUDA execution provider unavailable on device 1");
  }

  @Test
  void cpuNeitherTriesCudaNorWarns() {
    String log =
        stderrOf(
            () -> {
              try (VitModel model = Fixtures.open(Fixtures.ENCODER_FROM_MAE)) {
                assertEquals("CPUExecutionProvider", model.executionProvider());
              }
              return null;
            });
    assertFalse(log.contains("CUDA"), log);
  }

  @Test
  void invalidModelIsReportedAsSuchEvenWhenCudaIsRequested() {
    byte[] garbage = "not an onnx model".getBytes(StandardCharsets.UTF_8);
    ModelOptions options = ModelOptions.defaults().withDevice(Device.CUDA).withStrictGpu(true);
    assertThrows(InvalidModelException.class, () -> VitModel.open(garbage, options));
  }

  @Test
  @EnabledIf("cudaUsable")
  void strictCudaRunsOnTheGpuAndAgreesWithTheCpu() {
    float[] images = Fixtures.images(8, 42);
    ModelOptions cuda = ModelOptions.defaults().withDevice(Device.CUDA).withStrictGpu(true);
    try (VitModel gpu = VitModel.open(Fixtures.path(Fixtures.CLASSIFIER), cuda);
        VitModel cpu = Fixtures.open(Fixtures.CLASSIFIER)) {
      assertEquals("CUDAExecutionProvider", gpu.executionProvider());
      float diff =
          Fixtures.maxAbsDiff(
              cpu.classifier().classify(images, 8), gpu.classifier().classify(images, 8));
      assertTrue(diff <= 1e-4f, "max |cpu - gpu| " + diff);
    }
  }

  /** What runs writes to System.err (slf4j-simple logs there), echoed for the test report. */
  private static synchronized String stderrOf(Supplier<Void> runs) {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      runs.get();
    } finally {
      System.setErr(original);
    }
    String text = captured.toString(StandardCharsets.UTF_8);
    original.print(text);
    return text;
  }
}
