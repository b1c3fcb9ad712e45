package dev.vitmae.api;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * A README snippet as a user pastes it into a project of their own: its imports, its statements in
 * a method of a class of its own, compiled against the test class path. Shared with the {@code
 * tests} module through {@code vitmae-api}'s test jar.
 */
public final class PastedSnippet {
  private PastedSnippet() {}

  /**
   * Compiles {@code imports} and {@code statements} inside {@code static void run(<parameters>)
   * throws Exception} of a class {@code Pasted} in {@code dir}; fails with the source and javac's
   * diagnostics.
   */
  public static void assertCompiles(
      Path dir, List<String> imports, String parameters, List<String> statements)
      throws IOException {
    List<String> source = new ArrayList<>(imports);
    source.add("public class Pasted {");
    source.add("  static void run(" + parameters + ") throws Exception {");
    source.addAll(statements);
    source.add("  }");
    source.add("}");
    Path file = Files.write(dir.resolve("Pasted.java"), source);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, null)) {
      boolean ok =
          javac
              .getTask(
                  null,
                  files,
                  diagnostics,
                  List.of("-classpath", classpath, "-d", dir.toString(), "-proc:none"),
                  null,
                  files.getJavaFileObjects(file))
              .call();
      assertTrue(ok, String.join("\n", source) + "\n" + diagnostics.getDiagnostics());
    }
  }
}
