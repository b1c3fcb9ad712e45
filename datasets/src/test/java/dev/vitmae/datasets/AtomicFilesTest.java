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
        assertThrows(IOException.class, () -> AtomicFiles.write(file, out -> {
            out.write(new byte[] {1, 2});
            throw new IOException("disk full");
        }));
        assertEquals(1, Files.size(file));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }
}
