package dev.vitmae.upstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitmae.weights.StateDict;
import dev.vitmae.weights.Tensor;
import java.io.IOException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The upstream fixtures read through vitmae's readers: both formats hold the same tensors bit for
 * bit once the checkpoint's nesting is removed, and the recorded masks are what MAE's {@code
 * random_masking} makes of the recorded noise.
 */
class UpstreamFixtureTest {

  @ParameterizedTest
  @EnumSource(UpstreamFixture.class)
  void bothFormatsHoldTheSameTensors(UpstreamFixture fixture) throws IOException {
    try (StateDict pth = fixture.readPth();
        StateDict safetensors = fixture.readSafetensors()) {
      if (fixture == UpstreamFixture.IJEPA) {
        // {"encoder": {"module." + name}, ...} in the .pth; "encoder." + name in the safetensors
        for (String part : new String[] {"encoder", "predictor", "target_encoder"}) {
          assertSame(pth.select(part + ".module."), safetensors.select(part + "."));
        }
        assertEquals(300L, ((Number) pth.extras().get("epoch")).longValue());
        return;
      }
      assertSame(fixture == UpstreamFixture.MAE ? pth.select("model.") : pth, safetensors);
    }
  }

  private static void assertSame(StateDict want, StateDict got) throws IOException {
    assertEquals(want.names(), got.names());
    assertTrue(want.names().size() > 10, () -> "only " + want.names());
    for (String name : want.names()) {
      Tensor a = want.tensor(name);
      Tensor b = got.tensor(name);
      assertArrayEquals(a.shape(), b.shape(), name);
      assertArrayEquals(a.toFloatArray(), b.toFloatArray(), name);
    }
  }

  @ParameterizedTest
  @EnumSource(UpstreamFixture.class)
  void expectedOutputsRecordImagesAndConfiguration(UpstreamFixture fixture) throws IOException {
    UpstreamOutputs out = fixture.expected();
    assertArrayEquals(new long[] {2, 3, 32, 32}, out.shape("images"));
    assertTrue(out.config("upstream").length() > 3);
    assertEquals(2, out.configInt(fixture.name().startsWith("HF") ? "num_hidden_layers" : "depth"));
    assertTrue(
        out.names().contains("tokens") || out.names().contains("latent"), out.names()::toString);
  }

  /** ids_shuffle = argsort(noise), ids_keep its first quarter, mask 0 there and 1 elsewhere. */
  @Test
  void maeMasksFollowTheNoise() throws IOException {
    for (UpstreamFixture fixture :
        new UpstreamFixture[] {UpstreamFixture.MAE, UpstreamFixture.HF_VIT_MAE}) {
      UpstreamOutputs out = fixture.expected();
      float[] noise = out.floats("noise");
      int[] shuffle = out.indices("ids_shuffle");
      int[] restore = out.indices("ids_restore");
      int[] keep = out.indices("ids_keep");
      float[] mask = out.floats("mask");
      int n = 16;
      int kept = keep.length / 2;
      assertEquals(4, kept);
      for (int b = 0; b < 2; b++) {
        int row = b * n;
        int[] order =
            IntStream.range(0, n)
                .boxed()
                .sorted(Comparator.comparingDouble(i -> noise[row + i]))
                .mapToInt(Integer::intValue)
                .toArray();
        assertArrayEquals(
            order, Arrays.copyOfRange(shuffle, row, row + n), fixture + " sample " + b);
        for (int i = 0; i < n; i++) {
          assertEquals(i, restore[row + shuffle[row + i]]);
        }
        for (int k = 0; k < kept; k++) {
          assertEquals(order[k], keep[b * kept + k]);
          assertEquals(0f, mask[row + order[k]]);
        }
        for (int k = kept; k < n; k++) {
          assertEquals(1f, mask[row + order[k]]);
        }
      }
    }
  }
}
