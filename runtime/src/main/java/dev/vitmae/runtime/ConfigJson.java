package dev.vitmae.runtime;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.OptionalDouble;

/**
 * Reads a number from the model config JSON ({@link dev.vitmae.contract.MetadataKey#CONFIG}) of
 * files exported before the value had a metadata key of its own: a JSON parser, never a pattern.
 */
final class ConfigJson {
  private static final JsonFactory FACTORY = new JsonFactory();

  private ConfigJson() {}

  /**
   * The number of the top-level member {@code name} of {@code json}; empty when there is none.
   *
   * @throws InvalidModelException when the JSON is malformed or the member is not a number
   */
  static OptionalDouble topLevelNumber(String json, String name) {
    try (JsonParser p = FACTORY.createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) return OptionalDouble.empty();
      for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if (field.equals(name)) {
          if (!value.isNumeric()) {
            throw new InvalidModelException(
                "config member '" + name + "' is not a number: " + p.getText(), null);
          }
          return OptionalDouble.of(p.getDoubleValue());
        }
        p.skipChildren();
      }
      return OptionalDouble.empty();
    } catch (IOException e) {
      throw new InvalidModelException("the model's config JSON is malformed: " + e.getMessage(), e);
    }
  }
}
