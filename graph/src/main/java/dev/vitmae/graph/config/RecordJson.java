package dev.vitmae.graph.config;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * JSON for flat config records: numbers, booleans, strings, enums and nested config records.
 * Small on purpose: configs are written next to every checkpoint and into ONNX metadata, and
 * read back with every field checked; an unknown or missing field is an error, not a default.
 */
public final class RecordJson {
  private RecordJson() {}

  /** Writes {@code record} as a JSON object, components in declaration order. */
  public static String write(Record record) {
    StringBuilder out = new StringBuilder("{");
    RecordComponent[] components = record.getClass().getRecordComponents();
    for (int i = 0; i < components.length; i++) {
      Object value;
      try {
        value = components[i].getAccessor().invoke(record);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
      out.append(i == 0 ? "" : ",").append('"').append(components[i].getName()).append("\":");
      if (value instanceof Record nested) {
        out.append(write(nested));
      } else if (value instanceof String || value instanceof Enum<?>) {
        out.append('"').append(escape(value.toString())).append('"');
      } else {
        out.append(value);
      }
    }
    return out.append('}').toString();
  }

  /**
   * Reads a record of type {@code type} from JSON written by {@link #write}.
   *
   * @throws IllegalArgumentException on malformed JSON, an unknown or missing field, or a value
   *     the record's constructor rejects
   */
  public static <R extends Record> R read(Class<R> type, String json) {
    Parser parser = new Parser(json);
    Object value = parser.value();
    parser.end();
    if (!(value instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException(type.getSimpleName() + " JSON must be an object");
    }
    return fromMap(type, map);
  }

  private static <R extends Record> R fromMap(Class<R> type, Map<?, ?> map) {
    RecordComponent[] components = type.getRecordComponents();
    for (Object key : map.keySet()) {
      boolean known = false;
      for (RecordComponent c : components) known |= c.getName().equals(key);
      if (!known) throw new IllegalArgumentException(type.getSimpleName() + ": unknown field '" + key + "'");
    }
    Object[] args = new Object[components.length];
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      RecordComponent c = components[i];
      types[i] = c.getType();
      if (!map.containsKey(c.getName())) {
        throw new IllegalArgumentException(type.getSimpleName() + ": missing field '" + c.getName() + "'");
      }
      args[i] = convert(type, c, map.get(c.getName()));
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
  private static Object convert(Class<?> owner, RecordComponent c, Object v) {
    Class<?> t = c.getType();
    String where = owner.getSimpleName() + "." + c.getName();
    try {
      if (t == int.class) return Math.toIntExact(((Number) v).longValue());
      if (t == long.class) return ((Number) v).longValue();
      if (t == double.class) return ((Number) v).doubleValue();
      if (t == float.class) return ((Number) v).floatValue();
      if (t == boolean.class) return (Boolean) v;
      if (t == String.class) return (String) v;
      if (t.isEnum()) return Enum.valueOf((Class<Enum>) t, (String) v);
      if (t.isRecord() && v instanceof Map<?, ?> m) return fromMap((Class<Record>) t, m);
    } catch (ClassCastException | ArithmeticException | IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": bad value " + v + " for type " + t.getSimpleName(), e);
    }
    throw new IllegalArgumentException(where + ": unsupported type " + t.getSimpleName());
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  /** Recursive-descent parser for the JSON subset above: objects, strings, numbers, booleans. */
  private static final class Parser {
    private final String s;
    private int pos;

    Parser(String s) {
      this.s = s;
    }

    Object value() {
      skip();
      if (pos >= s.length()) throw error("unexpected end of input");
      char ch = s.charAt(pos);
      if (ch == '{') return object();
      if (ch == '"') return string();
      if (s.startsWith("true", pos)) { pos += 4; return Boolean.TRUE; }
      if (s.startsWith("false", pos)) { pos += 5; return Boolean.FALSE; }
      return number();
    }

    Map<String, Object> object() {
      Map<String, Object> map = new LinkedHashMap<>();
      pos++;
      skip();
      if (peek() == '}') { pos++; return map; }
      while (true) {
        skip();
        if (peek() != '"') throw error("expected a field name");
        String key = string();
        skip();
        if (peek() != ':') throw error("expected ':'");
        pos++;
        if (map.put(key, value()) != null) throw error("duplicate field '" + key + "'");
        skip();
        char ch = peek();
        pos++;
        if (ch == '}') return map;
        if (ch != ',') throw error("expected ',' or '}'");
      }
    }

    String string() {
      StringBuilder b = new StringBuilder();
      pos++;
      while (pos < s.length() && s.charAt(pos) != '"') {
        char ch = s.charAt(pos++);
        if (ch == '\\' && pos < s.length()) ch = s.charAt(pos++);
        b.append(ch);
      }
      if (pos >= s.length()) throw error("unterminated string");
      pos++;
      return b.toString();
    }

    Number number() {
      int start = pos;
      while (pos < s.length() && "+-0123456789.eE".indexOf(s.charAt(pos)) >= 0) pos++;
      String text = s.substring(start, pos);
      if (text.isEmpty()) throw error("unexpected character '" + s.charAt(pos) + "'");
      try {
        return text.matches("-?\\d+") ? (Number) Long.parseLong(text) : (Number) Double.parseDouble(text);
      } catch (NumberFormatException e) {
        throw error("bad number '" + text + "'");
      }
    }

    void end() {
      skip();
      if (pos != s.length()) throw error("trailing characters");
    }

    private char peek() {
      if (pos >= s.length()) throw error("unexpected end of input");
      return s.charAt(pos);
    }

    private void skip() {
      while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) pos++;
    }

    private IllegalArgumentException error(String what) {
      return new IllegalArgumentException("config JSON at character " + pos + ": " + what);
    }
  }
}
