package dev.vitmae.cli;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Extracts files from a gzipped tar archive (what {@code npm pack} writes), with Apache Commons
 * Compress.
 */
final class TarGz {
  private TarGz() {}

  /**
   * Copies every regular file whose archive path {@code wanted} accepts into {@code outDir}, under
   * its last path element only (so no entry can escape {@code outDir}).
   *
   * @return the archive paths extracted, in archive order
   * @throws IOException if the file is not gzip, a header is corrupt, or the archive ends mid-entry
   */
  static List<String> extract(Path tgz, Predicate<String> wanted, Path outDir) throws IOException {
    Files.createDirectories(outDir);
    List<String> extracted = new ArrayList<>();
    try (InputStream gz = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(tgz)));
        TarArchiveInputStream tar = new TarArchiveInputStream(gz)) {
      TarArchiveEntry entry;
      while ((entry = nextEntry(tar, tgz)) != null) {
        String name = entry.getName();
        if (!entry.isFile() || !wanted.test(name)) continue;
        byte[] data = tar.readNBytes(Math.toIntExact(entry.getSize()));
        if (data.length != entry.getSize()) {
          throw new EOFException(tgz + ": archive ends inside " + name);
        }
        Files.write(outDir.resolve(name.substring(name.lastIndexOf('/') + 1)), data);
        extracted.add(name);
      }
    } catch (IllegalArgumentException e) {
      throw new IOException(tgz + ": corrupt tar archive (" + e.getMessage() + ")", e);
    }
    return extracted;
  }

  private static TarArchiveEntry nextEntry(TarArchiveInputStream tar, Path tgz) throws IOException {
    try {
      return tar.getNextEntry();
    } catch (IOException e) {
      throw new IOException(tgz + ": corrupt tar header (" + e.getMessage() + ")", e);
    }
  }
}
