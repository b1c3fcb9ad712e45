package dev.vitmae.spark;

import dev.vitmae.runtime.VitModel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ONNX Runtime sessions of this JVM (a Spark executor, or the driver in local mode): one {@link
 * VitModel} per model content hash and device, opened by the first task that needs it, shared by
 * every later and concurrent task ({@code VitModel} is thread-safe), closed when the JVM exits.
 * Never one per partition.
 */
public final class ExecutorSessions {

  private static final Logger log = LoggerFactory.getLogger(ExecutorSessions.class);
  private static final Map<SessionKey, VitModel> MODELS = new ConcurrentHashMap<>();
  private static final AtomicInteger CREATED = new AtomicInteger();

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(ExecutorSessions::closeAll, "vitmae-close-sessions"));
  }

  private ExecutorSessions() {}

  /** Sessions this JVM has opened since it started (a closed one that is reopened counts twice). */
  public static int created() {
    return CREATED.get();
  }

  /** Sessions open in this JVM now. */
  public static int open() {
    return MODELS.size();
  }

  /**
   * The session for {@code key}, opened from {@code bytes} (read only on the first call) when this
   * JVM has none.
   *
   * @throws IllegalStateException when the bytes do not have the key's hash
   */
  static VitModel get(SessionKey key, Supplier<byte[]> bytes) {
    VitModel model = MODELS.get(key);
    return model != null ? model : MODELS.computeIfAbsent(key, k -> open(k, bytes.get()));
  }

  /** Closes every session; the next {@link #get} opens a new one. */
  static void closeAll() {
    for (SessionKey key : Map.copyOf(MODELS).keySet()) {
      VitModel model = MODELS.remove(key);
      if (model != null) model.close();
    }
  }

  private static VitModel open(SessionKey key, byte[] bytes) {
    String hash = sha256(bytes);
    if (!hash.equals(key.sha256())) {
      throw new IllegalStateException(
          "model bytes have SHA-256 " + hash + ", the driver sent " + key.sha256());
    }
    VitModel model = VitModel.open(bytes, key.options());
    CREATED.incrementAndGet();
    log.info(
        "opened {} ({} bytes, sha256 {}) on {}, {} thread(s) per run",
        model.info().kind(),
        bytes.length,
        hash.substring(0, 12),
        model.executionProvider(),
        key.intraOpThreads());
    return model;
  }

  /** Lower-case hex SHA-256 of {@code bytes}. */
  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }
}
