package dev.vitmae.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The model contract is spelled in one place, the {@code contract} module: no main source file of
 * any other module ({@code *}{@code /src/main/java}) writes a metadata key or a tensor name as a
 * string literal. The rules, precise enough to leave unrelated strings alone:
 *
 * <ul>
 *   <li><b>Metadata keys</b>: any string literal that starts with {@code "vitmae.} is a key, except
 *       two other namespaces that share the prefix: a Maven parameter's {@code property =
 *       "vitmae…"} (the plugin's user properties) and the value of a constant whose name ends in
 *       {@code _PROPERTY} (a JVM system property); and a literal appended to a key prefix ({@code
 *       PREFIX + "image_size"}), a key spelled in two pieces.
 *   <li><b>Tensor names</b> ({@code images}, {@code mask}, {@code tokens}, {@code embedding},
 *       {@code logits}, {@code reconstruction}, {@code context_mask}, {@code target_mask}, {@code
 *       predicted_tokens}, {@code attention}): such a literal is a tensor name where it names a
 *       tensor or a map entry — the first argument of {@code get}, {@code put}, {@code
 *       containsKey}, {@code getOrDefault}, {@code remove}, {@code equals}, {@code entry}, {@code
 *       placeHolder}, {@code var}, {@code getVariable}, {@code getArrForVarName} or {@code rename};
 *       an argument of {@code Map.of} or {@code Set.of}; a {@code case} label; or the whole
 *       initializer of a variable ({@code x = "images";}). Elsewhere the same words are other
 *       things and allowed: a parameter's name in {@code requireNonNull(images, "images")}, a
 *       command's name in its annotation ({@code @Command(name = "attention")}), a Spark column's
 *       default ({@code setDefault(col, "mask")}), a picture's column title, a table header.
 *       Comments are not scanned for tensor names.
 * </ul>
 */
class ContractLiteralsTest {

  private static final String TENSOR_NAMES =
      "images|mask|tokens|embedding|logits|reconstruction|context_mask|target_mask|predicted_tokens"
          + "|attention";

  private static final Pattern METADATA_KEY = Pattern.compile("\"vitmae\\.[^\"]*\"");

  private static final Pattern PREFIXED_KEY = Pattern.compile("\\b\\w*PREFIX\\s*\\+\\s*\"[^\"]*\"");

  private static final Pattern OTHER_NAMESPACE =
      Pattern.compile("(property\\s*=\\s*|\\w+_PROPERTY\\s*=\\s*)$");

  private static final Pattern TENSOR_CALL =
      Pattern.compile(
          "(\\.(get|put|containsKey|getOrDefault|remove|equals|entry|placeHolder|var|getVariable"
              + "|getArrForVarName|rename)\\(\\s*|\\bcase\\s+|(?<!\\bname\\s?)=\\s*)\"("
              + TENSOR_NAMES
              + ")\"(?=\\s*[,):;]|\\s*->)");

  private static final Pattern COLLECTION_OF = Pattern.compile("\\b(Map|Set)\\.of\\(");

  private static final Pattern TENSOR_LITERAL = Pattern.compile("\"(" + TENSOR_NAMES + ")\"");

  @Test
  void noMainSourceOutsideTheContractSpellsAKeyOrATensorName() throws IOException {
    Path root = Path.of("").toAbsolutePath().getParent();
    assertTrue(Files.isDirectory(root.resolve("contract/src/main/java")), root.toString());
    List<String> violations = new ArrayList<>();
    int scanned = 0;
    try (Stream<Path> modules = Files.list(root)) {
      for (Path module : modules.sorted().toList()) {
        Path main = module.resolve("src/main/java");
        if (!Files.isDirectory(main) || module.getFileName().toString().equals("contract"))
          continue;
        try (Stream<Path> files = Files.walk(main)) {
          for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
            scanned++;
            for (String v : violations(Files.readString(file)))
              violations.add(root.relativize(file) + ": " + v);
          }
        }
      }
    }
    assertTrue(scanned > 200, "scanned only " + scanned + " files under " + root);
    assertEquals(List.of(), violations, "use dev.vitmae.contract.MetadataKey / TensorNames");
  }

  @Test
  void theRulesFlagKeysAndTensorNamesButNotTheOtherUsesOfTheWords() {
    assertEquals(
        List.of(
            "line 1: metadata key \"vitmae.foo\"",
            "line 2: tensor name \"images\"",
            "line 4: tensor name \"mask\"",
            "line 5: tensor name \"logits\"",
            "line 6: tensor name \"tokens\"",
            "line 13: metadata key PREPROCESSING_PREFIX + \"channels\""),
        violations(
            String.join(
                "\n",
                "m.put(\"vitmae.foo\", x);",
                "feeds.get(\"images\");",
                "Map.of(\n  \"mask\", m);",
                "static final String LOGITS = \"logits\";",
                "case \"tokens\" -> 1;",
                "Objects.requireNonNull(images, \"images\");",
                "setDefault(maskCol, \"mask\");",
                "List.of(\"original\", \"reconstruction\");",
                "// feeds.get(\"images\") in a comment",
                "@Parameter(property = \"vitmae.skip\")",
                "@Command(name = \"attention\", mixinStandardHelpOptions = true)",
                "static final String ROOT_PROPERTY = \"vitmae.native.cache\";",
                "m.put(MetadataKey.PREPROCESSING_PREFIX + \"channels\", c);")));
  }

  /** The violations in one source file, as {@code line N: what}. */
  static List<String> violations(String source) {
    List<String> found = new ArrayList<>();
    Matcher key = METADATA_KEY.matcher(source);
    while (key.find()) {
      String before = source.substring(source.lastIndexOf('\n', key.start()) + 1, key.start());
      if (OTHER_NAMESPACE.matcher(before).find()) continue;
      found.add(line(source, key.start()) + ": metadata key " + key.group());
    }
    String code = withoutComments(source);
    Matcher prefixed = PREFIXED_KEY.matcher(code);
    while (prefixed.find()) {
      found.add(line(code, prefixed.start()) + ": metadata key " + prefixed.group());
    }
    Matcher call = TENSOR_CALL.matcher(code);
    while (call.find()) {
      found.add(line(code, call.start(3) - 1) + ": tensor name \"" + call.group(3) + "\"");
    }
    Matcher of = COLLECTION_OF.matcher(code);
    while (of.find()) {
      int end = closingParen(code, of.end() - 1);
      Matcher literal = TENSOR_LITERAL.matcher(code).region(of.end(), end);
      while (literal.find()) {
        found.add(line(code, literal.start()) + ": tensor name " + literal.group());
      }
    }
    found.sort(java.util.Comparator.comparingInt(s -> Integer.parseInt(s.split("[ :]")[1])));
    return found;
  }

  private static String line(String text, int at) {
    return "line " + (1 + text.substring(0, at).chars().filter(c -> c == '\n').count());
  }

  /** The index of the parenthesis that closes the one at {@code open} (string literals skipped). */
  private static int closingParen(String code, int open) {
    int depth = 0;
    for (int i = open; i < code.length(); i++) {
      char c = code.charAt(i);
      if (c == '"') {
        for (i++; i < code.length() && code.charAt(i) != '"'; i++) if (code.charAt(i) == '\\') i++;
      } else if (c == '(') {
        depth++;
      } else if (c == ')' && --depth == 0) {
        return i;
      }
    }
    return code.length();
  }

  /** {@code source} with its comments blanked (line breaks kept), string literals left intact. */
  private static String withoutComments(String source) {
    StringBuilder out = new StringBuilder(source.length());
    for (int i = 0; i < source.length(); i++) {
      char c = source.charAt(i);
      if (c == '"') {
        int start = i;
        for (i++; i < source.length() && source.charAt(i) != '"'; i++)
          if (source.charAt(i) == '\\') i++;
        out.append(source, start, Math.min(i + 1, source.length()));
      } else if (c == '\'') {
        int start = i;
        for (i++; i < source.length() && source.charAt(i) != '\''; i++)
          if (source.charAt(i) == '\\') i++;
        out.append(source, start, Math.min(i + 1, source.length()));
      } else if (source.startsWith("//", i)) {
        while (i < source.length() && source.charAt(i) != '\n') i++;
        if (i < source.length()) out.append('\n');
      } else if (source.startsWith("/*", i)) {
        int end = source.indexOf("*/", i + 2);
        end = end < 0 ? source.length() : end + 2;
        for (int j = i; j < end; j++) out.append(source.charAt(j) == '\n' ? '\n' : ' ');
        i = end - 1;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
