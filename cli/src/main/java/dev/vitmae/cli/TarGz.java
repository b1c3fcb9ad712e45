package dev.vitmae.cli;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * A minimal reader of gzipped ustar archives (what {@code npm pack} writes): regular files only, names
 * from the {@code name} and ustar {@code prefix} fields, sizes in octal. Enough for one npm package;
 * not a general tar implementation.
 */
final class TarGz {
    private static final int BLOCK = 512;

    private TarGz() {
    }

    /**
     * Copies every regular file whose archive path {@code wanted} accepts into {@code outDir}, under its
     * last path element only (so no entry can escape {@code outDir}).
     *
     * @return the archive paths extracted, in archive order
     * @throws IOException if the file is not gzip, a header is corrupt, or the archive ends mid-entry
     */
    static List<String> extract(Path tgz, Predicate<String> wanted, Path outDir) throws IOException {
        Files.createDirectories(outDir);
        List<String> extracted = new ArrayList<>();
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(tgz)))) {
            byte[] header = new byte[BLOCK];
            while (readBlock(in, header) && !allZero(header)) {
                checkChecksum(tgz, header);
                String name = entryName(header);
                long size = octal(header, 124, 12, tgz, name);
                char type = (char) header[156];
                long padded = (size + BLOCK - 1) / BLOCK * BLOCK;
                if ((type == '0' || type == '\0') && wanted.test(name)) {
                    String fileName = name.substring(name.lastIndexOf('/') + 1);
                    byte[] data = in.readNBytes(Math.toIntExact(size));
                    if (data.length != size) {
                        throw new EOFException(tgz + ": archive ends inside " + name);
                    }
                    Files.write(outDir.resolve(fileName), data);
                    in.skipNBytes(padded - size);
                    extracted.add(name);
                } else {
                    in.skipNBytes(padded);
                }
            }
        }
        return extracted;
    }

    /** Reads one block; false at a clean end of stream. */
    private static boolean readBlock(InputStream in, byte[] block) throws IOException {
        int n = in.readNBytes(block, 0, BLOCK);
        if (n == 0) {
            return false;
        }
        if (n < BLOCK) {
            throw new EOFException("tar archive ends inside a header block");
        }
        return true;
    }

    /** {@code prefix/name} for ustar headers, else {@code name}. */
    private static String entryName(byte[] header) {
        String name = text(header, 0, 100);
        boolean ustar = text(header, 257, 6).startsWith("ustar");
        String prefix = ustar ? text(header, 345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    private static void checkChecksum(Path tgz, byte[] header) throws IOException {
        long expected = octal(header, 148, 8, tgz, "header");
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += i >= 148 && i < 156 ? ' ' : header[i] & 0xff;
        }
        if (sum != expected) {
            throw new IOException(tgz + ": not a tar archive (header checksum " + sum + " != " + expected + ")");
        }
    }

    private static long octal(byte[] header, int offset, int length, Path tgz, String entry) throws IOException {
        String digits = text(header, offset, length).trim();
        try {
            return digits.isEmpty() ? 0 : Long.parseLong(digits, 8);
        } catch (NumberFormatException e) {
            throw new IOException(tgz + ": bad octal field '" + digits + "' in tar entry " + entry);
        }
    }

    /** A NUL-terminated ASCII field. */
    private static String text(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.US_ASCII);
    }

    private static boolean allZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }
}
