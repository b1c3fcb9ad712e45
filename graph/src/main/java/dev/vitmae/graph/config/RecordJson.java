package dev.vitmae.graph.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.Iterator;

/**
 * JSON for config records: numbers, booleans, strings, enums and nested config records, read and
 * written with Jackson. Configs are written next to every checkpoint and into ONNX metadata, and
 * read back with every field checked: an unknown, duplicate or missing field is an error naming it,
 * not a default, and values go through the record's validating constructor.
 */
public final class RecordJson {
  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();
  private static final ObjectMapper MAPPER =
      new ObjectMapper(FACTORY).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private RecordJson() {}

  /**
   * Marks a component added after configs were first written: JSON written before it (checkpoints,
   * ONNX metadata) reads {@link #value()}, a JSON text ({@code "null"} passes null to the record's
   * constructor, which then derives the value). Every other missing field stays an error.
   */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.RECORD_COMPONENT)
  public @interface Added {
    /** The value of JSON written without this field, as JSON. */
    String value();
  }

  /** Writes {@code record} as a JSON object, components in declaration order. */
  public static String write(Record record) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      write(g, record);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static void write(JsonGenerator g, Record record) throws IOException {
    g.writeStartObject();
    for (RecordComponent c : record.getClass().getRecordComponents()) {
      Object value;
      try {
        value = c.getAccessor().invoke(record);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
      g.writeFieldName(c.getName());
      if (value instanceof Record nested) write(g, nested);
      else if (value instanceof String || value instanceof Enum<?>) g.writeString(value.toString());
      else if (value instanceof Boolean b) g.writeBoolean(b);
      else if (value instanceof Integer i) g.writeNumber(i);
      else if (value instanceof Long l) g.writeNumber(l);
      else if (value instanceof Double d) g.writeNumber(d);
      else if (value instanceof Float f) g.writeNumber(f);
      else
        throw new IllegalArgumentException(
            record.getClass().getSimpleName()
                + "."
                + c.getName()
                + ": unsupported type "
                + c.getType().getSimpleName());
    }
    g.writeEndObject();
  }

  /** Whether two JSON texts hold the same values (field order and number spelling aside). */
  public static boolean sameJson(String a, String b) {
    try {
      return MAPPER.readTree(a).equals(MAPPER.readTree(b));
    } catch (JsonProcessingException e) {
      return false;
    }
  }

  /**
   * Reads a record of type {@code type} from JSON written by {@link #write}.
   *
   * @throws IllegalArgumentException on malformed JSON (with the character offset), an unknown,
   *     duplicate or missing field, or a value the record's constructor rejects
   */
  public static <R extends Record> R read(Class<R> type, String json) {
    JsonNode tree;
    try (JsonParser p = FACTORY.createParser(json)) {
      tree = MAPPER.readTree(p);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          type.getSimpleName()
              + ": config JSON at character "
              + e.getLocation().getCharOffset()
              + ": "
              + e.getOriginalMessage(),
          e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (tree == null || !tree.isObject()) {
      throw new IllegalArgumentException(type.getSimpleName() + " JSON must be an object");
    }
    return fromNode(type, tree);
  }

  private static <R extends Record> R fromNode(Class<R> type, JsonNode node) {
    RecordComponent[] components = type.getRecordComponents();
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String key = names.next();
      boolean known = false;
      for (RecordComponent c : components) known |= c.getName().equals(key);
      if (!known)
        throw new IllegalArgumentException(type.getSimpleName() + ": unknown field '" + key + "'");
    }
    Object[] args = new Object[components.length];
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      RecordComponent c = components[i];
      types[i] = c.getType();
      Added added = c.getAnnotation(Added.class);
      if (!node.has(c.getName()) && added != null) {
        JsonNode missing;
        try {
          missing = MAPPER.readTree(added.value());
        } catch (JsonProcessingException e) {
          throw new IllegalStateException(type.getSimpleName() + "." + c.getName(), e);
        }
        args[i] = missing.isNull() ? null : convert(type, c, missing);
        continue;
      }
      if (!node.has(c.getName())) {
        throw new IllegalArgumentException(
            type.getSimpleName() + ": missing field '" + c.getName() + "'");
      }
      args[i] = convert(type, c, node.get(c.getName()));
    }
    try {
      Constructor<R> constructor = type.getDeclaredConstructor(types);
      return constructor.newInstance(args);
    } catch (java.lang.reflect.InvocationTargetException e) {
      if (e.getCause() instanceof IllegalArgumentException iae) throw iae;
      throw new IllegalArgumentException(type.getSimpleName() + ": " + e.getCause(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object convert(Class<?> owner, RecordComponent c, JsonNode v) {
    Class<?> t = c.getType();
    String where = owner.getSimpleName() + "." + c.getName();
    try {
      if (t == int.class && v.canConvertToInt() && v.isIntegralNumber()) return v.intValue();
      if (t == long.class && v.canConvertToLong() && v.isIntegralNumber()) return v.longValue();
      if (t == double.class && v.isNumber()) return v.doubleValue();
      if (t == float.class && v.isNumber()) return v.floatValue();
      if (t == boolean.class && v.isBoolean()) return v.booleanValue();
      if (t == String.class && v.isTextual()) return v.textValue();
      if (t.isEnum() && v.isTextual()) return Enum.valueOf((Class<Enum>) t, v.textValue());
      if (t.isRecord() && v.isObject()) return fromNode((Class<Record>) t, v);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          where + ": bad value " + v + " for type " + t.getSimpleName(), e);
    }
    throw new IllegalArgumentException(
        where + ": bad value " + v + " for type " + t.getSimpleName());
  }
}
