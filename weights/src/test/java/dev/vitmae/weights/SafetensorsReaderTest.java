package dev.vitmae.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SafetensorsReaderTest {

  @Test
  void readsEveryDtypeAsFloat32BitForBitWithPyTorch() throws IOException {
    try (StateDict dict = StateDict.read(Fixtures.path("tiny.safetensors"))) {
      assertEquals(
          List.of("w", "b", "h", "bf", "d", "steps", "u", "m", "empty"), List.copyOf(dict.names()));
      Fixtures.assertTensorsAsRecorded(dict, "tiny.safetensors");
      assertEquals(DType.F16, dict.tensor("h").dtype());
      assertEquals(DType.BF16, dict.tensor("bf").dtype());
      assertEquals(0, dict.tensor("steps").shape().length, "a scalar has shape []");
      assertEquals(0, dict.tensor("empty").numel());
    }
  }

  @Test
  void keepsMetadataAndHasNoExtras() throws IOException {
    try (StateDict dict = StateDict.read(Fixtures.path("tiny.safetensors"))) {
      assertEquals("pt", dict.metadata().get("format"));
      assertEquals("make_fixtures.py", dict.metadata().get("source"));
      assertEquals("safetensors", dict.metadata().get("vitmae.weights.format"));
      assertEquals(Map.of(), dict.extras());
    }
  }

  @Test
  void givesContiguousF32AsAViewOfTheMapping() throws IOException {
    try (StateDict dict = StateDict.read(Fixtures.path("tiny.safetensors"))) {
      assertTrue(dict.tensor("w").toFloatBuffer().isDirect(), "F32 is not copied to the heap");
      assertFalse(dict.tensor("h").toFloatBuffer().isDirect(), "F16 is converted");
    }
  }

  @Test
  void readsAHeaderWhoseLengthStartsWithAPickleByte(@TempDir Path dir) throws IOException {
    // A header of 128 bytes: the first byte of the file is 0x80, as in a legacy torch pickle.
    StringBuilder json =
        new StringBuilder("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}");
    while (json.length() < 128) {
      json.append(' ');
    }
    ByteBuffer file = ByteBuffer.allocate(8 + 128 + 4).order(ByteOrder.LITTLE_ENDIAN);
    file.putLong(128).put(json.toString().getBytes(StandardCharsets.US_ASCII)).putFloat(0.5f);
    Path path = dir.resolve("a.safetensors");
    Files.write(path, file.array());
    try (StateDict dict = StateDict.read(path)) {
      assertEquals(0.5f, dict.tensor("a").toFloatArray()[0]);
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "bad_header_length.safetensors | header length 1000000000000 (bytes 0-7) is outside [2,"
            + " 100000000]",
        "header_past_end.safetensors | runs past the end of the 152-byte file",
        "offsets_out_of_range.safetensors | tensor 'c': data_offsets [4096, 4104] (file bytes"
            + " 4224-4231) run past the end of the 160-byte file",
        "overlap.safetensors | tensors 'a' and 'c' overlap at file byte 136",
        "byte_count.safetensors | tensor 'a': shape [2, 3] of F32 needs 24 bytes, but data_offsets"
            + " [0, 20] span 20",
        "hole.safetensors | file bytes 144-151, before tensor 'c', belong to no tensor",
        "trailing_bytes.safetensors | file bytes 152-159, after the last tensor, belong to no"
            + " tensor",
        "unknown_dtype.safetensors | tensor 'a': dtype 'F8_E4M3' is not supported",
        "wrong_dtype.safetensors | tensor 'a': dtype 'float32' is not supported",
        "not_json.safetensors | is not valid JSON",
        "duplicate_name.safetensors | Duplicate field 'a'",
      })
  void refusesAMalformedFileNamingTheTensorAndByte(String file, String message) {
    WeightsFormatException e =
        assertThrows(WeightsFormatException.class, () -> StateDict.read(Fixtures.path(file)));
    assertTrue(e.getMessage().contains(message), e.getMessage());
    assertTrue(e.getMessage().contains(file), "names the file: " + e.getMessage());
  }
}
