package dev.vitmae.weights;

import dev.vitmae.contract.MetadataKey;
import dev.vitmae.weights.RestrictedUnpickler.Namespace;
import dev.vitmae.weights.RestrictedUnpickler.StorageRef;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads the zip archive {@code torch.save} writes (PyTorch 1.6 and later): {@code <name>/data.pkl},
 * the pickled object, read by {@link RestrictedUnpickler}; {@code <name>/data/<key>}, one raw
 * storage per key; {@code <name>/byteorder} ({@code little} when absent) and {@code
 * <name>/version}. Nested dicts are flattened with dots, so {@code {"model": {"fc.weight": t}}}
 * gives the tensor {@code model.fc.weight}; values that are not tensors go to {@link
 * StateDict#extras()}. A storage is read from the archive when one of its tensors is read.
 */
final class TorchCheckpointReader {
  /** Bound on {@code data.pkl}: a ViT-H state dict's is well under 1 MB. */
  static final long MAX_PICKLE_BYTES = 256L << 20;

  private TorchCheckpointReader() {}

  static StateDict read(Path file) throws IOException {
    ZipFile zip;
    try {
      zip = new ZipFile(file.toFile());
    } catch (ZipException e) {
      throw new WeightsFormatException(
          file
              + ": not a readable torch.save zip archive (truncated or corrupt): "
              + e.getMessage(),
          e);
    }
    OpenFile open = new OpenFile(file, zip);
    try {
      return read(file, zip, open);
    } catch (IOException | RuntimeException e) {
      open.close();
      throw e;
    }
  }

  private static StateDict read(Path file, ZipFile zip, OpenFile open) throws IOException {
    String prefix = archivePrefix(file, zip);
    Map<String, String> metadata = new LinkedHashMap<>();
    MetadataKey.WEIGHTS_FORMAT.put(metadata, "pytorch");
    String version = text(zip, prefix + "version");
    if (version != null) {
      metadata.put("version", version);
    }
    String byteorder = text(zip, prefix + "byteorder");
    if (byteorder != null && !byteorder.equals("little") && !byteorder.equals("big")) {
      throw new WeightsFormatException(file + ": byteorder is '" + byteorder + "'");
    }
    ByteOrder order = "big".equals(byteorder) ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    metadata.put("byteorder", order == ByteOrder.BIG_ENDIAN ? "big" : "little");

    ZipEntry pkl = zip.getEntry(prefix + "data.pkl");
    byte[] pickle = entryBytes(file, zip, pkl, MAX_PICKLE_BYTES);
    Object root = RestrictedUnpickler.load(pickle, file + "!" + pkl.getName());
    if (!(root instanceof Map<?, ?> || root instanceof Namespace)) {
      throw new WeightsFormatException(
          file + ": the checkpoint holds a " + describe(root) + ", not a dict of tensors");
    }

    Storages storages = new Storages(file, zip, prefix, order, open);
    Flattener flat = new Flattener(file, storages::storage, 2L * pickle.length + 10_000);
    flat.add("", root, 0);
    return new StateDict(file, flat.tensors(), flat.extras(), metadata, open);
  }

  /** Storages by key, each checked against its archive entry once and read when a tensor is. */
  private static final class Storages {
    final Path file;
    final ZipFile zip;
    final String prefix;
    final ByteOrder order;
    final OpenFile open;
    final Map<String, Tensor.Storage> byKey = new LinkedHashMap<>();

    Storages(Path file, ZipFile zip, String prefix, ByteOrder order, OpenFile open) {
      this.file = file;
      this.zip = zip;
      this.prefix = prefix;
      this.order = order;
      this.open = open;
    }

    Tensor.Storage storage(String tensor, StorageRef ref) throws WeightsFormatException {
      Tensor.Storage known = byKey.get(ref.key());
      if (known != null) {
        return known;
      }
      String entryName = prefix + "data/" + ref.key();
      ZipEntry entry = zip.getEntry(entryName);
      if (entry == null) {
        throw new WeightsFormatException(
            "%s: tensor '%s': its storage '%s' has no entry %s in the archive"
                .formatted(file, tensor, ref.key(), entryName));
      }
      long expected;
      try {
        expected = Math.multiplyExact(ref.elements(), ref.dtype().bytes());
      } catch (ArithmeticException e) {
        throw new WeightsFormatException(
            file + ": tensor '" + tensor + "': storage of " + ref.elements() + " elements");
      }
      if (entry.getSize() != expected) {
        throw new WeightsFormatException(
            "%s: tensor '%s': storage %s holds %d bytes, but %d %s elements need %d"
                .formatted(
                    file,
                    tensor,
                    entryName,
                    entry.getSize(),
                    ref.elements(),
                    ref.dtype(),
                    expected));
      }
      Tensor.Storage storage =
          new Tensor.Storage() {
            @Override
            public ByteBuffer bytes() throws IOException {
              open.checkOpen();
              return ByteBuffer.wrap(entryBytes(file, zip, entry, Integer.MAX_VALUE - 8))
                  .order(order);
            }

            @Override
            public long elements() {
              return ref.elements();
            }
          };
      byKey.put(ref.key(), storage);
      return storage;
    }
  }

  /** The folder {@code data.pkl} sits in ({@code torch.save} names it after the file). */
  private static String archivePrefix(Path file, ZipFile zip) throws WeightsFormatException {
    List<String> pickles = new ArrayList<>();
    zip.stream()
        .map(ZipEntry::getName)
        .filter(n -> n.equals("data.pkl") || n.endsWith("/data.pkl"))
        .filter(n -> n.indexOf('/') == n.lastIndexOf('/'))
        .forEach(pickles::add);
    if (pickles.size() != 1) {
      throw new WeightsFormatException(
          file + ": a torch.save archive has one <name>/data.pkl; this zip has " + pickles);
    }
    String p = pickles.get(0);
    return p.substring(0, p.length() - "data.pkl".length());
  }

  private static String text(ZipFile zip, String name) throws IOException {
    ZipEntry e = zip.getEntry(name);
    if (e == null) {
      return null;
    }
    return new String(entryBytes(Path.of(zip.getName()), zip, e, 1024), StandardCharsets.UTF_8)
        .trim();
  }

  private static byte[] entryBytes(Path file, ZipFile zip, ZipEntry entry, long max)
      throws IOException {
    if (entry.getSize() < 0 || entry.getSize() > max) {
      throw new WeightsFormatException(
          "%s: entry %s declares %d bytes (at most %d are read)"
              .formatted(file, entry.getName(), entry.getSize(), max));
    }
    byte[] out = new byte[(int) entry.getSize()];
    try (InputStream in = zip.getInputStream(entry)) {
      int n = in.readNBytes(out, 0, out.length);
      if (n != out.length || in.read() != -1) {
        throw new WeightsFormatException(
            "%s: entry %s holds %s bytes, not the %d it declares"
                .formatted(file, entry.getName(), n == out.length ? "more" : n, out.length));
      }
    } catch (ZipException e) {
      throw new WeightsFormatException(
          file + ": entry " + entry.getName() + " is corrupt: " + e.getMessage(), e);
    }
    return out;
  }

  static String describe(Object o) {
    return o == null ? "None" : o.getClass().getSimpleName();
  }
}
