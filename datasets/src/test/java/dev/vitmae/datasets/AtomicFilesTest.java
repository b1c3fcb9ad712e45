package dev.vitmae.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
}
