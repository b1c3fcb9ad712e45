package dev.vitmae.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @Test
  void writesWithOrdinaryPermissionsAndNoTempLeft(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("sub/out.bin");
    AtomicFiles.write(file, out -> out.write(new byte[] {1, 2, 3}));
    assertEquals(3, Files.size(file));
    assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    try (var files = Files.list(file.getParent())) {
      assertEquals(1, files.count());
    }
  }

  @Test
  void failedWriteKeepsThePreviousFile(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("out.bin");
    Files.write(file, new byte[] {9});
    assertThrows(
        IOException.class,
        () ->
            AtomicFiles.write(
                file,
                out -> {
                  out.write(new byte[] {1, 2});
                  throw new IOException("disk full");
                }));
    assertEquals(1, Files.size(file));
    try (var files = Files.list(dir)) {
      assertEquals(1, files.count(), "no temporary file left behind");
    }
  }

  @Test
  void aCrashedWritersLeftoverIsRemovedOnceStale(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("checkpoint.zip");
    Path stale = Files.write(dir.resolve(".checkpoint.zip.123.tmp"), new byte[] {1});
    Path fresh = Files.write(dir.resolve(".checkpoint.zip.456.tmp"), new byte[] {2});
    Path other = Files.write(dir.resolve(".metrics.csv.789.tmp"), new byte[] {3});
    java.nio.file.attribute.FileTime old =
        java.nio.file.attribute.FileTime.from(
            java.time.Instant.now().minus(AtomicFiles.STALE).minusSeconds(1));
    Files.setLastModifiedTime(stale, old);
    Files.setLastModifiedTime(other, old);
    AtomicFiles.write(file, out -> out.write(new byte[] {7}));
    assertEquals(false, Files.exists(stale), "a stale leftover of this file is removed");
    assertEquals(true, Files.exists(fresh), "a recent one may belong to a writer still running");
    assertEquals(
        true, Files.exists(other), "another file's leftovers are not this write's business");
    assertEquals(1, Files.size(file));
  }

  @Test
  void aKilledWritersLeftoverIsRemovedAtOnce(@TempDir Path dir) throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    long live = ProcessHandle.current().parent().orElseThrow().pid();
    Path dead = Files.write(dir.resolve(".checkpoint.zip." + gone.pid() + "-1.tmp"), new byte[0]);
    Path running = Files.write(dir.resolve(".checkpoint.zip." + live + "-2.tmp"), new byte[0]);
    AtomicFiles.write(dir.resolve("checkpoint.zip"), out -> out.write(new byte[] {7}));
    assertEquals(
        false, Files.exists(dead), "its process is gone: no need to wait " + AtomicFiles.STALE);
    assertEquals(true, Files.exists(running), "its process may still be writing");
  }

  @Test
  void aWriteInterruptedByKillLeavesNoTemporaryFile(@TempDir Path dir) throws Exception {
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p =
        new ProcessBuilder(
                java.toString(), "-Xmx32m", "-cp", cp, SlowWriter.class.getName(), dir.toString())
            .redirectErrorStream(true)
            .start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (temporaries(dir) == 0) {
        if (System.nanoTime() > deadline || !p.isAlive())
          throw new AssertionError(
              "the writer did not start: " + new String(p.getInputStream().readAllBytes()));
        Thread.sleep(20);
      }
      p.destroy(); // SIGTERM, as `kill PID` sends
      assertEquals(true, p.waitFor(60, TimeUnit.SECONDS));
    } finally {
      p.destroyForcibly();
    }
    assertEquals(0, temporaries(dir), "the temporary file went with the process");
    assertEquals(false, Files.exists(dir.resolve("checkpoint.zip")));
  }

  private static long temporaries(Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".tmp")).count();
    }
  }

  /** Starts writing {@code DIR/checkpoint.zip} and never finishes. */
  public static final class SlowWriter {
    public static void main(String[] args) throws IOException {
      AtomicFiles.write(
          Path.of(args[0], "checkpoint.zip"),
          out -> {
            try {
              Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
              throw new IOException(e);
            }
          });
    }
  }
}
