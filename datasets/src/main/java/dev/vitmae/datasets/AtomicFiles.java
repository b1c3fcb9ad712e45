package dev.vitmae.datasets;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;

/**
 * Writes files so that neither a reader nor a crash ever sees half of one: into a temporary file
 * beside the target, forced to disk ({@code fsync}), then an atomic rename, and the directory
 * forced too so that the rename itself survives a power loss. Temporary files that a crashed writer
 * left behind ({@code .<name>.*.tmp}, untouched for {@link #STALE}) are removed by the next write
 * of the same file. Every vitmae writer (IDX files, checkpoints, ONNX models, pictures) uses it.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Writes the file's content to a stream. */
  @FunctionalInterface
  public interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  /**
   * Replaces {@code file} with what {@code content} writes; creates missing parent directories. The
   * file gets ordinary permissions ({@code rw-r--r--}), not the temporary file's private ones. On
   * failure the previous file, if any, is untouched and no temporary file is left.
   */
  public static void write(Path file, Content content) throws IOException {
    Path target = file.toAbsolutePath();
    Path dir = target.getParent();
    Files.createDirectories(dir);
    String prefix = "." + target.getFileName() + ".";
    removeStale(dir, prefix);
    Path tmp = Files.createTempFile(dir, prefix, ".tmp");
    try {
      try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE);
          OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel))) {
        content.writeTo(out);
        out.flush();
        channel.force(true);
      }
      if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      forceDirectory(dir);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * How long a temporary file must be untouched before a later write treats it as a crash's
   * leftover.
   */
  public static final Duration STALE = Duration.ofMinutes(10);

  private static void removeStale(Path dir, String prefix) throws IOException {
    Instant cutoff = Instant.now().minus(STALE);
    try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(dir, prefix + "*.tmp")) {
      for (Path p : leftovers) {
        try {
          if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
              && Files.getLastModifiedTime(p).toInstant().isBefore(cutoff)) {
            Files.deleteIfExists(p);
          }
        } catch (NoSuchFileException raced) {
          // Another writer removed it first.
        }
      }
    }
  }

  /**
   * fsync of the directory entry (Linux and macOS allow opening a directory for reading; elsewhere
   * skipped).
   */
  private static void forceDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("win")) {
        if (e instanceof IOException io) throw io;
      }
    }
  }
}
