package dev.vitmae.runtime;

import ai.onnxruntime.OrtEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.net.URISyntaxException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ONNX Runtime's native libraries extracted once into a stable, versioned folder, and loaded from
 * there through ONNX Runtime's own system property {@code onnxruntime.native.path}.
 *
 * <p>The folder is {@code <root>/onnxruntime-<os-arch>-<crc>}: {@code <crc>} combines the CRC-32s
 * the jar records for those libraries, so another ONNX Runtime version (or the GPU build) gets
 * another folder. The root is the system property {@code vitmae.native.cache}, else {@code
 * $XDG_CACHE_HOME/vitmae/native}, else {@code ~/.cache/vitmae/native}, else {@code
 * <java.io.tmpdir>/vitmae-native-<user>}. Extraction writes a private temporary folder next to the
 * target and renames it into place atomically, so concurrent JVMs never load a half-written
 * library. Every start checks the cached files against the sizes and CRC-32s the jar records (a
 * damaged copy is replaced), and on POSIX the root must be this user's and writable by no one else
 * (native code is loaded from it). When no root qualifies, ONNX Runtime's default (a temporary
 * folder per JVM) is left in place, with a WARN.
 */
final class NativeCache {

  /** The folder property this class sets for ONNX Runtime. */
  static final String ORT_PATH_PROPERTY = "onnxruntime.native.path";

  /** Overrides the cache root. */
  static final String ROOT_PROPERTY = "vitmae.native.cache";

  private static final Logger log = LoggerFactory.getLogger(NativeCache.class);
  private static final String RESOURCE_PREFIX = "ai/onnxruntime/native/";
  private static final Duration STALE = Duration.ofHours(1);

  private static volatile Path chosen;

  private NativeCache() {}

  static Path chosenFolder() {
    return chosen;
  }

  /**
   * Points {@code onnxruntime.native.path} at the cache, extracting first when needed. Does nothing
   * when the property is already set. Must run before any ONNX Runtime class initialises.
   */
  static synchronized void useForOnnxRuntime() {
    if (System.getProperty(ORT_PATH_PROPERTY) != null) return;
    if (ortAlreadyLoaded()) {
      log.debug(
          "ONNX Runtime was loaded before vitmae touched it: its libraries stay where they are");
      return;
    }
    List<Library> libraries;
    try {
      libraries = librariesInJar();
    } catch (IOException | RuntimeException e) {
      log.warn(
          "cannot list ONNX Runtime's native libraries ({}); it extracts them to {} itself",
          e.toString(),
          System.getProperty("java.io.tmpdir"));
      return;
    }
    if (libraries.isEmpty()) return; // not a jar we understand (or a platform it does not ship)
    String key = key(libraries);
    List<String> failures = new ArrayList<>();
    for (Path root : roots()) {
      try {
        Path folder = ensure(root, key, libraries);
        System.setProperty(ORT_PATH_PROPERTY, folder.toString());
        chosen = folder;
        log.debug("ONNX Runtime native libraries from {}", folder);
        return;
      } catch (IOException | RuntimeException e) {
        failures.add(root + ": " + e);
      }
    }
    log.warn(
        "no writable native cache ({}); ONNX Runtime extracts its libraries to {} in every JVM. Set"
            + " -D{}=<a writable folder>.",
        String.join("; ", failures),
        System.getProperty("java.io.tmpdir"),
        ROOT_PROPERTY);
  }

  /**
   * ONNX Runtime still creates an (empty) {@code onnxruntime-java*} folder in {@code
   * java.io.tmpdir} when it loads from a path, and deletes it only at JVM exit: remove it now, so a
   * killed JVM leaves nothing. Best effort: any failure is ignored.
   */
  static void removeOrtTempFolder() {
    if (chosen == null) return;
    try {
      Class<?> loader =
          Class.forName("ai.onnxruntime.OnnxRuntime", false, OrtEnvironment.class.getClassLoader());
      Field field = loader.getDeclaredField("tempDirectory");
      field.setAccessible(true);
      if (field.get(null) instanceof Path temp && Files.isDirectory(temp)) {
        try (Stream<Path> files = Files.list(temp)) {
          if (files.findAny().isEmpty()) Files.deleteIfExists(temp);
        }
      }
    } catch (ReflectiveOperationException | IOException | RuntimeException e) {
      log.debug("could not remove ONNX Runtime's temporary folder: {}", e.toString());
    }
  }

  /**
   * Whether ONNX Runtime's loader already ran (application code called it first). Reading the
   * loader's {@code loaded} flag initialises only that class, which loads nothing itself.
   */
  private static boolean ortAlreadyLoaded() {
    try {
      Class<?> loader =
          Class.forName("ai.onnxruntime.OnnxRuntime", true, OrtEnvironment.class.getClassLoader());
      Field field = loader.getDeclaredField("loaded");
      field.setAccessible(true);
      return field.getBoolean(null);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }

  /** One native library of the jar: its name, size and CRC-32 as the jar's directory records. */
  record Library(String resource, String fileName, long size, long crc) {}

  static List<Library> librariesInJar() throws IOException {
    Path jar;
    try {
      var source = OrtEnvironment.class.getProtectionDomain().getCodeSource();
      if (source == null) return List.of();
      jar = Path.of(source.getLocation().toURI());
    } catch (URISyntaxException | IllegalArgumentException e) {
      return List.of();
    }
    if (!Files.isRegularFile(jar)) return List.of();
    String prefix = RESOURCE_PREFIX + osArch() + "/";
    List<Library> libraries = new ArrayList<>();
    try (JarFile file = new JarFile(jar.toFile())) {
      for (Enumeration<JarEntry> e = file.entries(); e.hasMoreElements(); ) {
        JarEntry entry = e.nextElement();
        String name = entry.getName();
        if (entry.isDirectory() || !name.startsWith(prefix)) continue;
        String fileName = name.substring(prefix.length());
        if (fileName.contains("/")) continue; // debug symbols (dSYM folders)
        libraries.add(new Library(name, fileName, entry.getSize(), entry.getCrc()));
      }
    }
    libraries.sort(Comparator.comparing(Library::fileName));
    return libraries;
  }

  static String key(List<Library> libraries) {
    CRC32 crc = new CRC32();
    for (Library l : libraries) {
      crc.update(l.fileName().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      crc.update(java.nio.ByteBuffer.allocate(16).putLong(l.size()).putLong(l.crc()).array());
    }
    return "onnxruntime-" + osArch() + "-" + String.format("%08x", crc.getValue());
  }

  static List<Path> roots() {
    List<Path> roots = new ArrayList<>();
    String configured = System.getProperty(ROOT_PROPERTY);
    if (configured != null && !configured.isBlank()) {
      roots.add(Path.of(configured));
      return roots;
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    if (xdg != null && !xdg.isBlank()) roots.add(Path.of(xdg, "vitmae", "native"));
    String home = System.getProperty("user.home");
    if (home != null && !home.isBlank() && !home.equals("?"))
      roots.add(Path.of(home, ".cache", "vitmae", "native"));
    String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
    roots.add(Path.of(System.getProperty("java.io.tmpdir"), "vitmae-native-" + user));
    return roots;
  }

  /** The complete folder {@code root/key}, extracted now when missing or incomplete. */
  static Path ensure(Path root, String key, List<Library> libraries) throws IOException {
    createPrivate(root);
    requireOwnFolder(root);
    Path folder = root.resolve(key);
    if (complete(folder, libraries)) return folder;
    removeStale(root, key);
    Path temp = Files.createTempDirectory(root, "." + key + ".tmp-");
    try {
      for (Library l : libraries) {
        try (InputStream in =
            OrtEnvironment.class.getClassLoader().getResourceAsStream(l.resource())) {
          if (in == null) throw new IOException("resource vanished: " + l.resource());
          Files.copy(in, temp.resolve(l.fileName()));
        }
      }
      if (!complete(temp, libraries)) throw new IOException("extracted libraries are incomplete");
      if (Files.exists(folder) && !complete(folder, libraries)) {
        // A damaged folder (files deleted or truncated by hand): set it aside, then replace it.
        Path broken = root.resolve("." + key + ".broken-" + ProcessHandle.current().pid());
        Files.move(folder, broken, StandardCopyOption.ATOMIC_MOVE);
        deleteTree(broken);
      }
      try {
        Files.move(temp, folder, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("the cache folder cannot be renamed atomically: " + root, e);
      } catch (IOException e) {
        // Another JVM finished first (rename(2) onto its non-empty folder fails): use its copy.
        if (!complete(folder, libraries)) throw e;
      }
    } finally {
      deleteTree(temp);
    }
    if (!complete(folder, libraries))
      throw new IOException("incomplete after extraction: " + folder);
    return folder;
  }

  /**
   * Whether every library is in {@code folder} with the size and CRC-32 the jar records: a
   * truncated, damaged or replaced file is caught (reading ~30 MB from the page cache: ~20 ms).
   */
  private static boolean complete(Path folder, List<Library> libraries) {
    for (Library l : libraries) {
      Path file = folder.resolve(l.fileName());
      try {
        if (!Files.isRegularFile(file) || (l.size() >= 0 && Files.size(file) != l.size()))
          return false;
        if (l.crc() >= 0 && crc(file) != l.crc()) return false;
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }

  private static long crc(Path file) throws IOException {
    CRC32 crc = new CRC32();
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buffer)) > 0; ) crc.update(buffer, 0, n);
    }
    return crc.getValue();
  }

  /** Creates {@code root} (and its parents) readable and writable by this user only, on POSIX. */
  private static void createPrivate(Path root) throws IOException {
    if (Files.isDirectory(root)) return;
    if (root.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.createDirectories(
          root,
          java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
              java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
    } else {
      Files.createDirectories(root);
    }
  }

  /**
   * Native code is loaded from here: on POSIX the folder must belong to this user and be writable
   * by no one else (another user could otherwise plant libraries in a shared {@code /tmp}).
   */
  private static void requireOwnFolder(Path root) throws IOException {
    if (!root.getFileSystem().supportedFileAttributeViews().contains("posix")) return;
    String owner = Files.getOwner(root).getName();
    String user = System.getProperty("user.name");
    var permissions = Files.getPosixFilePermissions(root);
    if (!owner.equals(user)
        || permissions.contains(java.nio.file.attribute.PosixFilePermission.GROUP_WRITE)
        || permissions.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_WRITE)) {
      throw new IOException(
          root
              + " belongs to "
              + owner
              + " with permissions "
              + java.nio.file.attribute.PosixFilePermissions.toString(permissions)
              + ": a native library cache must be this user's ("
              + user
              + ") and writable by no one else");
    }
  }

  /** Temporary folders of extractions killed more than an hour ago. */
  private static void removeStale(Path root, String key) {
    Instant before = Instant.now().minus(STALE);
    try (Stream<Path> entries = Files.list(root)) {
      for (Path p : (Iterable<Path>) entries::iterator) {
        String name = p.getFileName().toString();
        if (!name.startsWith("." + key + ".")) continue;
        FileTime modified = Files.getLastModifiedTime(p);
        if (modified.toInstant().isBefore(before)) deleteTree(p);
      }
    } catch (IOException | RuntimeException e) {
      log.debug("could not clean {}: {}", root, e.toString());
    }
  }

  private static void deleteTree(Path path) {
    if (!Files.exists(path)) return;
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator)
        Files.deleteIfExists(p);
    } catch (IOException | RuntimeException e) {
      log.debug("could not delete {}: {}", path, e.toString());
    }
  }

  /** ONNX Runtime's name for this platform's resource folder, e.g. {@code linux-x64}. */
  static String osArch() {
    String os = System.getProperty("os.name", "generic").toLowerCase(Locale.ENGLISH);
    String arch = System.getProperty("os.arch", "generic").toLowerCase(Locale.ENGLISH);
    String o =
        os.contains("mac") || os.contains("darwin")
            ? "osx"
            : os.contains("win") ? "win" : os.contains("nux") ? "linux" : os;
    String a =
        arch.startsWith("amd64") || arch.startsWith("x86_64")
            ? "x64"
            : arch.startsWith("aarch64") ? "aarch64" : arch;
    return o + "-" + a;
  }
}
