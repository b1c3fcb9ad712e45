package dev.vitmae.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code vitmae spark --help} prints the job's usage and succeeds, before any Spark starts. */
class SparkHelpTest {
  @Test
  void helpPrintsTheUsage() {
    for (String[] args : new String[][] {{"--help"}, {"-h"}, {"embed", "--help"}}) {
      PrintStream original = System.out;
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
      int code;
      try {
        code = SparkJob.run(args);
      } finally {
        System.setOut(original);
      }
      assertEquals(0, code, String.join(" ", args));
      String printed = bytes.toString(StandardCharsets.UTF_8);
      assertTrue(printed.startsWith("usage: vitmae spark embed|classify"), printed);
      assertTrue(printed.contains("--overwrite"), printed);
    }
  }
}
