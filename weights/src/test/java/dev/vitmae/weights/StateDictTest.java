package dev.vitmae.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class StateDictTest {

  @Test
  void selectKeepsOnlyThePrefixedNamesWithoutThePrefix() throws IOException {
    try (StateDict ckpt = StateDict.read(Fixtures.path("ddp.pth"))) {
      StateDict sd = ckpt.select("state_dict.module.");
      assertEquals(11, sd.names().size());
      assertEquals("patch_embed.weight", sd.names().iterator().next());
      assertEquals(0, ckpt.select("nothing.").names().size());
    }
  }

  @Test
  void stripPrefixKeepsNamesWithoutIt() throws IOException {
    try (StateDict ckpt = StateDict.read(Fixtures.path("ijepa_like.pth"))) {
      StateDict stripped = ckpt.select("encoder.").stripPrefix("module.");
      assertTrue(stripped.contains("head.weight"));
      StateDict unchanged = stripped.stripPrefix("module.");
      assertEquals(List.copyOf(stripped.names()), List.copyOf(unchanged.names()));
      assertEquals(List.copyOf(stripped.names()), List.copyOf(stripped.stripPrefix("x.").names()));
    }
  }

  @Test
  void stripPrefixRefusesToMergeTwoNames() throws IOException {
    try (StateDict ckpt = StateDict.read(Fixtures.path("ijepa_like.pth"))) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> ckpt.stripPrefix("target_"));
      assertTrue(
          e.getMessage().contains("two entries named 'encoder.module.patch_embed.weight'"),
          e.getMessage());
    }
  }

  @Test
  void aMissingTensorIsNamedWithWhatThereIs() throws IOException {
    try (StateDict ckpt = StateDict.read(Fixtures.path("nested.pth"))) {
      NoSuchElementException e =
          assertThrows(NoSuchElementException.class, () -> ckpt.tensor("cls_token"));
      assertTrue(e.getMessage().contains("no tensor 'cls_token'"), e.getMessage());
      assertTrue(e.getMessage().contains("[model, optimizer]"), e.getMessage());
    }
  }

  @Test
  void readingAfterCloseSaysSo() throws IOException {
    StateDict ckpt = StateDict.read(Fixtures.path("state_dict.pt"));
    Tensor w = ckpt.select("").tensor("norm.weight");
    ckpt.close();
    ckpt.close();
    IllegalStateException e = assertThrows(IllegalStateException.class, w::toFloatArray);
    assertTrue(e.getMessage().contains("is closed"), e.getMessage());

    StateDict st = StateDict.read(Fixtures.path("tiny.safetensors"));
    Tensor h = st.tensor("h");
    st.close();
    assertThrows(IllegalStateException.class, h::toFloatBuffer);
  }
}
