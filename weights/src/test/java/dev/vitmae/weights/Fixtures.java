package dev.vitmae.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

/**
 * The files {@code src/test/resources/make_fixtures.py} wrote with PyTorch 1.13 (Debian's
 * python3-torch), and the values it recorded in {@code fixtures/expected.json}.
 */
final class Fixtures {
  private static JsonNode expected;

  private Fixtures() {}

  static Path path(String name) {
    URL url = Fixtures.class.getResource("/fixtures/" + name);
    if (url == null) {
      throw new IllegalArgumentException("no fixture " + name);
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static synchronized JsonNode expected(String file) {
    if (expected == null) {
      try {
        expected = new ObjectMapper().readTree(path("expected.json").toFile());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return expected.get("files").get(file);
  }

  /** Every tensor expected.json records for {@code file} is in {@code dict}, equal to the bit. */
  static void assertTensorsAsRecorded(StateDict dict, String file) throws IOException {
    JsonNode tensors = expected(file).get("tensors");
    for (Iterator<Map.Entry<String, JsonNode>> it = tensors.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String name = e.getKey();
      JsonNode want = e.getValue();
      assertTrue(dict.contains(name), () -> file + " lacks " + name + "; has " + dict.names());
      Tensor t = dict.tensor(name);
      assertEquals(want.get("dtype").asText(), t.dtype().safetensorsName(), name);
      long[] shape = new long[want.get("shape").size()];
      for (int i = 0; i < shape.length; i++) {
        shape[i] = want.get("shape").get(i).asLong();
      }
      assertArrayEquals(shape, t.shape(), name);
      float[] values = new float[want.get("values").size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = (float) want.get("values").get(i).asDouble();
      }
      assertArrayEquals(values, t.toFloatArray(), name);
      float[] viaBuffer = new float[values.length];
      t.toFloatBuffer().get(viaBuffer);
      assertArrayEquals(values, viaBuffer, name + " via toFloatBuffer");
    }
  }
}
