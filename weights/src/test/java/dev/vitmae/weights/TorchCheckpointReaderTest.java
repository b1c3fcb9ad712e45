package dev.vitmae.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TorchCheckpointReaderTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "state_dict.pt",
        "nested.pth",
        "ijepa_like.pth",
        "ddp.pth",
        "strided.pt",
        "half.pt",
        "protocol4.pt"
      })
  void readsWhatTorchSaveWroteBitForBit(String file) throws IOException {
    try (StateDict dict = StateDict.read(Fixtures.path(file))) {
      Fixtures.assertTensorsAsRecorded(dict, file);
      assertEquals("pytorch", dict.metadata().get("vitmae.weights.format"));
      assertEquals("little", dict.metadata().get("byteorder"));
    }
  }

  @Test
  void keepsTheStateDictOrderAndTypes() throws IOException {
    try (StateDict dict = StateDict.read(Fixtures.path("state_dict.pt"))) {
      assertEquals(
          List.of(
              "patch_embed.weight",
              "patch_embed.bias",
              "norm.weight",
              "norm.bias",
              "head.weight",
              "head.bias",
              "bn.weight",
              "bn.bias",
              "bn.running_mean",
              "bn.running_var",
              "bn.num_batches_tracked"),
          List.copyOf(dict.names()));
      assertEquals(DType.I64, dict.tensor("bn.num_batches_tracked").dtype());
      assertEquals(1f, dict.tensor("bn.num_batches_tracked").toFloatArray()[0]);
    }
  }

  @Test
  void flattensATrainingCheckpointAndKeepsItsOtherValuesAsExtras() throws IOException {
    try (StateDict ckpt = StateDict.read(Fixtures.path("nested.pth"))) {
      assertEquals(Set.of("model", "optimizer"), ckpt.topLevelNames());
      assertEquals(3L, ckpt.extras().get("epoch"));
      assertEquals(0.25, ckpt.extras().get("loss"));
      assertEquals(0.001, ckpt.extras().get("args.lr"), "argparse.Namespace read as its fields");
      assertEquals("tiny", ckpt.extras().get("args.model"));
      assertEquals(List.of(1L, 2L), ckpt.extras().get("args.dims"));
      assertTrue(ckpt.names().contains("optimizer.state.0.exp_avg"), ckpt.names().toString());

      StateDict model = ckpt.select("model.");
      assertEquals(11, model.names().size());
      Fixtures.assertTensorsAsRecorded(model, "state_dict.pt"); // the same state dict, unnested
      assertEquals(
          List.of(4L, 3L, 2L, 2L).toString(), toList(model.tensor("patch_embed.weight").shape()));
    }
  }

  @Test
  void exposesIjepaEncodersWithoutTheirDdpPrefix() throws IOException {
    try (StateDict ckpt = StateDict.read(Fixtures.path("ijepa_like.pth"))) {
      assertEquals(Set.of("encoder", "predictor", "target_encoder"), ckpt.topLevelNames());
      StateDict target = ckpt.select("target_encoder.").stripPrefix("module.");
      StateDict encoder = ckpt.select("encoder.").stripPrefix("module.");
      assertEquals(encoder.names(), target.names());
      assertTrue(target.contains("norm.weight"));
      float[] e = encoder.tensor("head.weight").toFloatArray();
      float[] t = target.tensor("head.weight").toFloatArray();
      for (int i = 0; i < e.length; i++) {
        assertEquals(2 * e[i], t[i], "the fixture's target encoder is twice the encoder");
      }
      assertEquals("head.weight", target.tensor("head.weight").name());
    }
  }

  @Test
  void readsStridedViewsInRowMajorOrder() throws IOException {
    try (StateDict dict = StateDict.read(Fixtures.path("strided.pt"))) {
      assertFalse(dict.tensor("transposed").isContiguous());
      assertFalse(dict.tensor("expanded").isContiguous());
      assertTrue(dict.tensor("offset_view").isContiguous());
      assertEquals(List.of(0f, 2f, 4f, 6f, 8f).toString(), floats(dict, "every_other"));
      assertEquals(List.of(0f, 1f, 2f, 0f, 1f, 2f).toString(), floats(dict, "expanded"));
      assertEquals(List.of(2f, 3f, 4f, 5f, 6f).toString(), floats(dict, "offset_view"));
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"evil_system.pt, posix.system", "evil_eval.pt, __builtin__.eval"})
  void refusesAPickleThatNamesAnyOtherGlobal(String file, String global) {
    ForbiddenGlobalException e =
        assertThrows(ForbiddenGlobalException.class, () -> StateDict.read(Fixtures.path(file)));
    assertEquals(global, e.global());
    assertTrue(e.getMessage().contains("pickle global '" + global + "'"), e.getMessage());
    assertTrue(e.getMessage().contains("nothing was executed"), e.getMessage());
    assertTrue(e.getMessage().contains(file + "!"), "names the file and entry: " + e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "truncated.pth | not a readable torch.save zip archive (truncated or corrupt)",
        "legacy.pt | the legacy torch.save format",
        "missing_storage.pt | tensor 'patch_embed.bias': its storage '1' has no entry"
            + " missing_storage/data/1",
      })
  void refusesAMalformedCheckpointClearly(String file, String message) {
    WeightsFormatException e =
        assertThrows(WeightsFormatException.class, () -> StateDict.read(Fixtures.path(file)));
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }

  @Test
  void keepsOptimizerHyperParametersAsPlainValues() throws IOException {
    try (StateDict ckpt = StateDict.read(Fixtures.path("nested.pth"))) {
      List<?> groups = (List<?>) ckpt.extras().get("optimizer.param_groups");
      Map<?, ?> group = (Map<?, ?>) groups.get(0);
      assertEquals(0.001, group.get("lr"));
      assertEquals(List.of(0.9, 0.999), group.get("betas"));
      assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L), group.get("params"));
    }
  }

  private static String floats(StateDict dict, String name) throws IOException {
    float[] v = dict.tensor(name).toFloatArray();
    Float[] boxed = new Float[v.length];
    for (int i = 0; i < v.length; i++) {
      boxed[i] = v[i];
    }
    return List.of(boxed).toString();
  }

  private static String toList(long[] shape) {
    Long[] boxed = new Long[shape.length];
    for (int i = 0; i < shape.length; i++) {
      boxed[i] = shape[i];
    }
    return List.of(boxed).toString();
  }
}
