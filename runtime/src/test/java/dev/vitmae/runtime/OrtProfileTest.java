package dev.vitmae.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitmae.contract.TensorNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ONNX Runtime's profiler through {@link ModelOptions#profile()}, read by {@link OrtProfile}. */
class OrtProfileTest {
  @Test
  void aProfiledSessionWritesEachRunsKernelsOnClose(@TempDir Path dir) throws Exception {
    ModelOptions options =
        ModelOptions.defaults().withDevice(Device.CPU).withProfile(dir.resolve("classifier"));
    try (VitModel model = VitModel.open(Fixtures.path("classifier.onnx"), options)) {
      for (int i = 0; i < 3; i++) model.run(Map.of(TensorNames.IMAGES, Fixtures.images(2, i)), 2);
    }
    List<Path> files;
    try (var list = Files.list(dir)) {
      files = list.toList();
    }
    assertEquals(1, files.size(), "one profile: " + files);
    Path file = files.get(0);
    assertTrue(file.getFileName().toString().startsWith("classifier"), file.toString());

    OrtProfile profile = OrtProfile.read(file);
    assertEquals(3, profile.runs().size(), "three runs");
    assertTrue(profile.runMicros().stream().allMatch(us -> us > 0), profile.runMicros().toString());
    List<OrtProfile.Op> all = profile.total(0);
    Map<String, OrtProfile.Op> byType =
        all.stream().collect(Collectors.toMap(OrtProfile.Op::opType, op -> op));
    assertTrue(
        byType.keySet().stream().anyMatch(t -> t.contains("MatMul") || t.equals("Gemm")),
        "the classifier's products: " + byType.keySet());
    // Every run executes the same kernels: skipping the first leaves two thirds of each.
    for (OrtProfile.Op later : profile.total(1)) {
      assertEquals(byType.get(later.opType()).calls() * 2, later.calls() * 3, later.toString());
    }
    assertEquals(
        all.stream().mapToLong(OrtProfile.Op::micros).sum(),
        profile.nodes(0).stream().mapToLong(OrtProfile.Op::micros).sum(),
        "nodes and types sum the same kernels");
    assertFalse(profile.nodes(0).get(0).name().isEmpty(), "nodes are named");
    assertTrue(profile.runMicros(1) < profile.runMicros(0));
  }

  @Test
  void aFileThatIsNotAProfileIsRefusedWithWhereItWentWrong(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("p.json"), "[{\"cat\":\"Node\",\"args\":3}]");
    var e = assertThrows(IllegalArgumentException.class, () -> OrtProfile.read(file));
    assertTrue(e.getMessage().contains("is not an ONNX Runtime profile"), e.getMessage());
    assertTrue(e.getMessage().contains("at byte"), e.getMessage());
    Path object = Files.writeString(dir.resolve("o.json"), "{}");
    assertThrows(IllegalArgumentException.class, () -> OrtProfile.read(object));
  }
}
