package dev.vitmae.datasets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A strict parser for exactly one shape of JSON: an object with one member, a flat array of
 * numbers, e.g. {@code { "data": [0, 0.5, 1] }}. Anything else fails with the character offset.
 */
final class JsonNumberArray {
    private final Path file;
    private final String text;
    private int pos;

    private JsonNumberArray(Path file, String text) {
        this.file = file;
        this.text = text;
    }

    /** The numbers of member {@code key} of the single-member object in {@code file}. */
    static double[] read(Path file, String key) throws IOException {
        String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        return new JsonNumberArray(file, text).object(key);
    }

    private double[] object(String key) throws JsonFormatException {
        expect('{');
        int keyAt = skipSpace();
        String found = string();
        if (!found.equals(key)) {
            throw error(keyAt, "expected member \"" + key + "\" but found \"" + found + "\"");
        }
        expect(':');
        double[] values = array();
        expect('}');
        if (skipSpace() < text.length()) {
            throw error(pos, "unexpected " + describe(pos) + " after the end of the JSON object");
        }
        return values;
    }

    private double[] array() throws JsonFormatException {
        expect('[');
        double[] values = new double[1 << 16];
        int n = 0;
        if (peek() == ']') {
            pos++;
            return new double[0];
        }
        while (true) {
            if (n == values.length) {
                values = Arrays.copyOf(values, n * 2);
            }
            values[n++] = number();
            int at = skipSpace();
            if (peek() == ',') {
                pos++;
            } else if (peek() == ']') {
                pos++;
                return Arrays.copyOf(values, n);
            } else {
                throw error(at, "expected ',' or ']' in the array but found " + describe(at));
            }
        }
    }

    /** A JSON number: {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}. */
    private double number() throws JsonFormatException {
        int start = skipSpace();
        int i = start;
        if (i < text.length() && text.charAt(i) == '-') {
            i++;
        }
        int intStart = i;
        i = digits(i);
        boolean ok = i > intStart && !(text.charAt(intStart) == '0' && i - intStart > 1);
        if (ok && i < text.length() && text.charAt(i) == '.') {
            int fraction = ++i;
            i = digits(i);
            ok = i > fraction;
        }
        if (ok && i < text.length() && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
            i++;
            if (i < text.length() && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
                i++;
            }
            int exponent = i;
            i = digits(i);
            ok = i > exponent;
        }
        if (!ok) {
            throw error(start, "expected a number but found " + describe(start));
        }
        pos = i;
        return Double.parseDouble(text.substring(start, i));
    }

    private String string() throws JsonFormatException {
        int start = pos;
        expect('"');
        int end = text.indexOf('"', pos);
        if (end < 0) {
            throw error(start, "unterminated string");
        }
        pos = end + 1;
        return text.substring(start + 1, end);
    }

    private int digits(int i) {
        while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
            i++;
        }
        return i;
    }

    private void expect(char c) throws JsonFormatException {
        int at = skipSpace();
        if (peek() != c) {
            throw error(at, "expected '" + c + "' but found " + describe(at));
        }
        pos++;
    }

    private int skipSpace() {
        while (pos < text.length() && " \t\r\n".indexOf(text.charAt(pos)) >= 0) {
            pos++;
        }
        return pos;
    }

    private int peek() {
        return pos < text.length() ? text.charAt(pos) : -1;
    }

    private String describe(int at) {
        return at >= text.length() ? "end of input" : "'" + text.charAt(at) + "'";
    }

    private JsonFormatException error(int at, String problem) {
        return new JsonFormatException(file, at, problem);
    }
}
