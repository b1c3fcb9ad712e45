package dev.vitmae.datasets;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads exactly one shape of JSON with Jackson's streaming parser: an object with one member, a
 * flat array of numbers, e.g. {@code { "data": [0, 0.5, 1] }}. Anything else fails with a {@link
 * JsonFormatException} naming the file and the character offset.
 */
final class JsonNumberArray {
  private static final JsonFactory FACTORY =
      JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private JsonNumberArray() {}

  /** The numbers of member {@code key} of the single-member object in {@code file}. */
  static double[] read(Path file, String key) throws IOException {
    try (JsonParser p = FACTORY.createParser(Files.newBufferedReader(file))) {
      expect(file, p, JsonToken.START_OBJECT, "expected '{'");
      expect(file, p, JsonToken.FIELD_NAME, "expected member \"" + key + "\"");
      if (!p.currentName().equals(key)) {
        throw error(
            file, p, "expected member \"" + key + "\" but found \"" + p.currentName() + "\"");
      }
      expect(file, p, JsonToken.START_ARRAY, "expected an array of numbers");
      double[] values = new double[1 << 16];
      int n = 0;
      for (JsonToken t = next(file, p, "expected ',' or ']' in the array");
          t != JsonToken.END_ARRAY;
          t = next(file, p, "expected ',' or ']' in the array")) {
        if (!t.isNumeric()) {
          throw error(file, p, "expected a number but found " + p.getText());
        }
        if (n == values.length) {
          values = Arrays.copyOf(values, n * 2);
        }
        values[n++] = p.getDoubleValue();
      }
      expect(file, p, JsonToken.END_OBJECT, "expected '}' after the array");
      if (next(file, p, "unexpected content after the end of the JSON object") != null) {
        throw error(file, p, "unexpected " + p.getText() + " after the end of the JSON object");
      }
      return Arrays.copyOf(values, n);
    }
  }

  private static void expect(Path file, JsonParser p, JsonToken wanted, String what)
      throws IOException {
    JsonToken t = next(file, p, what);
    if (t != wanted) {
      throw error(file, p, what + " but found " + (t == null ? "the end of input" : p.getText()));
    }
  }

  /**
   * The next token; a syntax error or the end of input inside the object is reported as {@code
   * what}.
   */
  private static JsonToken next(Path file, JsonParser p, String what) throws IOException {
    try {
      JsonToken t = p.nextToken();
      if (t == null && p.getParsingContext().inObject()) {
        throw error(file, p, what + " but found the end of input");
      }
      return t;
    } catch (JsonParseException e) {
      String problem = e.getOriginalMessage();
      if (problem.contains("expected a valid value")
          || problem.contains("Unexpected character ('.'")) {
        what = "expected a number";
      }
      if (problem.contains("end-of-input")) what += " but found the end of input";
      // Jackson's location is just past an unexpected character: name the character itself.
      long offset =
          e.getLocation().getCharOffset() - (problem.startsWith("Unexpected character") ? 1 : 0);
      throw new JsonFormatException(file, Math.max(0, offset), what + " (" + problem + ")");
    }
  }

  private static JsonFormatException error(Path file, JsonParser p, String problem) {
    return new JsonFormatException(file, p.currentTokenLocation().getCharOffset(), problem);
  }
}
