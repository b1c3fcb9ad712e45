package dev.vitmae.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loading ONNX Runtime in a plain {@code java -cp} application, forked with a long class path (≥ 50
 * entries, ≥ 8 KB) and a long argument list, the default thread stack, and the CI variables removed
 * (they switch off the ONNX Runtime telemetry client whose regex overflowed the stack).
 */
class NativeLoadingTest {

  /** Variables that make ONNX Runtime skip its telemetry client: removed from the forks. */
  static final List<String> TELEMETRY_OFF =
      List.of(
          "CI",
          "TF_BUILD",
          "GITHUB_ACTIONS",
          "GITLAB_CI",
          "CIRCLECI",
          "TRAVIS",
          "JENKINS_URL",
          "CODEBUILD_BUILD_ID",
          "BUILDKITE",
          "TEAMCITY_VERSION",
          "APPVEYOR",
          "BITBUCKET_BUILD_NUMBER",
          "SYSTEM_TEAMFOUNDATIONCOLLECTIONURI",
          "ORT_TELEMETRY_DISABLED",
          "ORT_DISABLE_TELEMETRY",
          "ORT_RUNNING_UNIT_TESTS");

  @TempDir Path dir;

  @Test
  void servesWithALongCommandLineOnTheDefaultStack() throws Exception {
    Result r = run(fork("serve", List.of()), 120);
    assertEquals(0, r.exit, r.output);
    assertTrue(r.output.contains("served"), r.output);
  }

  /**
   * The control: the same command line through {@code OrtEnvironment.getEnvironment()} on the main
   * thread still crashes ONNX Runtime 1.29 — when this fails, ONNX Runtime fixed its telemetry
   * regex and {@link OrtNative}'s large stack could go.
   */
  @Test
  void theUnprotectedPathStillCrashes() throws Exception {
    // Its own java.io.tmpdir: ONNX Runtime extracts there, and a crashed JVM leaves the ~28 MB.
    Path tmp = Files.createDirectories(dir.resolve("raw-tmp"));
    Result r = run(fork("raw", List.of("-Djava.io.tmpdir=" + tmp)), 120);
    assertNotEquals(0, r.exit, "ONNX Runtime no longer crashes: " + r.output);
    assertTrue(!r.output.contains("raw 1."), r.output);
  }

  @Test
  void runsShareOneCacheAndLeaveNothingInTmp() throws Exception {
    Path cache = dir.resolve("cache");
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    List<String> props = List.of("-Dvitmae.native.cache=" + cache, "-Djava.io.tmpdir=" + tmp);
    // Two JVMs extract concurrently into an empty cache; a third is killed while serving.
    Process a = fork("serve", props).start();
    Process b = fork("serve", props).start();
    Result ra = finish(a, 120);
    Result rb = finish(b, 120);
    assertEquals(0, ra.exit, ra.output);
    assertEquals(0, rb.exit, rb.output);
    ProcessBuilder held = fork("serve", props);
    held.command().add("hold");
    Process c = held.start();
    String line = new String(c.getInputStream().readNBytes(6), StandardCharsets.UTF_8);
    assertEquals("served", line);
    c.destroyForcibly().waitFor(30, TimeUnit.SECONDS);

    assertEquals(List.of(), names(tmp), "nothing left in java.io.tmpdir");
    List<String> cached = names(cache);
    assertEquals(1, cached.size(), "one versioned folder, no temporaries: " + cached);
    assertTrue(cached.get(0).startsWith("onnxruntime-"), cached.toString());
    assertTrue(ra.output.contains(cache.resolve(cached.get(0)).toString()), ra.output);
    assertTrue(names(cache.resolve(cached.get(0))).contains(System.mapLibraryName("onnxruntime")));
  }

  @Test
  void aDamagedCacheIsReplacedAndASharedFolderRefused() throws Exception {
    var libraries = NativeCache.librariesInJar();
    assertTrue(!libraries.isEmpty(), "the ONNX Runtime jar lists its native libraries");
    String key = NativeCache.key(libraries);
    Path root = dir.resolve("own");
    Path folder = NativeCache.ensure(root, key, libraries);
    Path jni = folder.resolve(System.mapLibraryName("onnxruntime4j_jni"));
    byte[] good = Files.readAllBytes(jni);
    byte[] bad = good.clone();
    bad[bad.length / 2] ^= 1; // same size, one bit flipped
    Files.write(jni, bad);
    assertEquals(folder, NativeCache.ensure(root, key, libraries));
    assertTrue(java.util.Arrays.equals(good, Files.readAllBytes(jni)), "re-extracted");
    assertEquals(List.of(key), names(root));

    Path shared = Files.createDirectories(dir.resolve("shared"));
    Files.setPosixFilePermissions(
        shared, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
    IOException refused =
        org.junit.jupiter.api.Assertions.assertThrows(
            IOException.class, () -> NativeCache.ensure(shared, key, libraries));
    assertTrue(refused.getMessage().contains("writable by no one else"), refused.getMessage());
  }

  @Test
  void stackGrowsWithTheCommandLine() {
    assertEquals(16L << 20, OrtNative.stackBytesFor(0));
    assertTrue(OrtNative.stackBytesFor(128 * 1024) >= 64L << 20);
  }

  private ProcessBuilder fork(String mode, List<String> props) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(props);
    command.add("-cp");
    command.add(longClassPath());
    command.add(ServeMain.class.getName());
    command.add(mode);
    command.add(Fixtures.path(Fixtures.MAE).toString());
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    // A long argument list after the class name, like a shell glob of photographs.
    for (int i = 0; i < 150; i++) pb.command().add("ignored/photos/holiday/IMG_" + i + ".jpg");
    pb.environment().keySet().removeAll(TELEMETRY_OFF);
    return pb;
  }

  /** This test's class path, padded with absent jars to ≥ 50 entries and ≥ 8 KB. */
  private String longClassPath() throws IOException {
    String real =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> entries = new ArrayList<>(List.of(real.split(File.pathSeparator)));
    Path lib = dir.resolve("an-application-with-a-long-lib-folder-name/lib");
    for (int i = 0;
        entries.size() < 50 || String.join(File.pathSeparator, entries).length() < 8192;
        i++)
      entries.add(
          lib.resolve("some-dependency-with-a-descriptive-name-" + i + "-1.2.3.jar").toString());
    return String.join(File.pathSeparator, entries);
  }

  record Result(int exit, String output) {}

  private static Result run(ProcessBuilder pb, int seconds) throws Exception {
    return finish(pb.start(), seconds);
  }

  private static Result finish(Process p, int seconds) throws Exception {
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(seconds, TimeUnit.SECONDS)) p.destroyForcibly();
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  private static List<String> names(Path folder) throws IOException {
    try (Stream<Path> s = Files.list(folder)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
