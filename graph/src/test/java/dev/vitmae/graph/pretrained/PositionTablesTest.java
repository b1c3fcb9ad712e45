package dev.vitmae.graph.pretrained;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/**
 * Position tables resampled as timm does, against timm's own {@code resample_abs_pos_embed} on
 * PyTorch 1.13 (fixtures/resample_abs_pos_embed.json, written by make_resample_fixture.py beside
 * it): a 4×4 grid plus the class row, to 2×2, 3×3 (shrinking), 6×6 and 7×7 (growing), with
 * antialias on (timm's default) and off.
 */
class PositionTablesTest {
  @Test
  void matchesTimmsResampleAbsPosEmbed() throws IOException {
    JsonNode fixture;
    try (InputStream in = getClass().getResourceAsStream("/fixtures/resample_abs_pos_embed.json")) {
      fixture = new ObjectMapper().readTree(in);
    }
    int dim = fixture.get("dim").intValue();
    int grid = fixture.get("grid").intValue();
    int prefix = fixture.get("prefix").intValue();
    float[] table = floats(fixture.get("table"));
    assertEquals(8, fixture.get("cases").size());
    for (JsonNode c : fixture.get("cases")) {
      int to = c.get("grid").intValue();
      boolean antialias = c.get("antialias").booleanValue();
      float[] expected = floats(c.get("table"));
      float[] actual = PositionTables.resample(table, prefix, grid, to, dim, antialias);
      assertEquals(expected.length, actual.length);
      double worst = 0;
      for (int i = 0; i < expected.length; i++) {
        worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
      }
      assertTrue(worst < 1e-5, grid + " -> " + to + " antialias " + antialias + ": " + worst);
      // The class row is kept as it is.
      for (int d = 0; d < dim; d++) assertEquals(table[d], actual[d]);
    }
  }

  @Test
  void theSameGridIsACopyAndAWrongSizeIsRefused() {
    float[] table = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    assertArrayEquals(table, PositionTables.resample(table, 1, 2, 2, 2, true));
    var e =
        assertThrows(
            IllegalArgumentException.class, () -> PositionTables.resample(table, 0, 2, 3, 2, true));
    assertTrue(e.getMessage().contains("is not 0 + 2² rows of 2"), e.getMessage());
  }

  private static float[] floats(JsonNode array) {
    float[] out = new float[array.size()];
    for (int i = 0; i < out.length; i++) out[i] = (float) array.get(i).doubleValue();
    return out;
  }
}
