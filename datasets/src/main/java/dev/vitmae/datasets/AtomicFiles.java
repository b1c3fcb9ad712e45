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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes files so that neither a reader nor a crash ever sees half of one: into a temporary file
 * beside the target, forced to disk ({@code fsync}), then an atomic rename, and the directory
 * forced too so that the rename itself survives a power loss. A write interrupted by {@code kill}
 * or Ctrl-C removes its temporary file on the way out (a shutdown hook); one that {@code kill -9}
 * or a crash left behind ({@code .<name>.<pid>-*.tmp}) is removed by the next write of the same
 * file as soon as its process is gone, or once untouched for {@link #STALE} (another host's, an
 * older release's). Every vitmae writer (IDX files, checkpoints, ONNX models, pictures) uses it.
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
    Path tmp = Files.createTempFile(dir, prefix + PID + "-", ".tmp");
    IN_FLIGHT.add(tmp);
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
      IN_FLIGHT.remove(tmp);
    }
  }

  private static final long PID = ProcessHandle.current().pid();

  /** Temporary files being written now; a shutdown ({@code kill}, Ctrl-C) deletes them. */
  private static final Set<Path> IN_FLIGHT = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  for (Path p : IN_FLIGHT) {
                    try {
                      Files.deleteIfExists(p);
                    } catch (IOException e) {
                      // Best effort: the next write of the file removes it.
                    }
                  }
                },
                "vitmae-atomic-files-cleanup"));
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
              && (writerGone(p, prefix)
                  || Files.getLastModifiedTime(p).toInstant().isBefore(cutoff))) {
            Files.deleteIfExists(p);
          }
        } catch (NoSuchFileException raced) {
          // Another writer removed it first.
        }
      }
    }
  }

  /**
   * Whether the leftover's name ({@code <prefix><pid>-<random>.tmp}) names a process of this host
   * that no longer runs. A name without a pid (an older release's) answers false.
   */
  private static boolean writerGone(Path leftover, String prefix) {
    String rest = leftover.getFileName().toString().substring(prefix.length());
    int dash = rest.indexOf('-');
    if (dash <= 0) return false;
    try {
      long pid = Long.parseLong(rest.substring(0, dash));
      return pid != PID && ProcessHandle.of(pid).isEmpty();
    } catch (NumberFormatException e) {
      return false;
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
