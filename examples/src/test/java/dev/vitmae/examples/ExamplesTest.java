package dev.vitmae.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each example's {@code main}, as a user runs it, on tiny data. */
class ExamplesTest {
  /** Runs {@code main} and returns what it printed. */
  private static String run(Main main, String... args) throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      main.run(args);
    } finally {
      System.setOut(original);
    }
    String text = captured.toString(StandardCharsets.UTF_8);
    original.print(text);
    return text;
  }

  private interface Main {
    void run(String[] args) throws Exception;
  }

  @Test
  void quickStartThenServeEmbeddings(@TempDir Path dir) throws Exception {
    String quick = run(QuickStart::main, dir.toString(), "64", "1");
    assertTrue(quick.contains("embedding of image 0: 64 floats"), quick);
    assertTrue(Files.exists(dir.resolve("run/checkpoint.zip")));
    assertTrue(Files.exists(dir.resolve("onnx/mae.onnx")));
    String served = run(ServeEmbeddings::main, dir.resolve("onnx/encoder.onnx").toString());
    assertTrue(
        served.contains("8 embeddings of dim 64") && served.contains("threads agree: true"),
        served);
  }

  @Test
  void customModel(@TempDir Path dir) throws Exception {
    String out = run(CustomModel::main, dir.toString(), "64", "1");
    assertTrue(
        out.contains("parity OK") && out.contains("brightness model: predicted brightness"), out);
  }
}
