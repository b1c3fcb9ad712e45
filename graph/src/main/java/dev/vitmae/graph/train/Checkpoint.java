package dev.vitmae.graph.train;

import dev.vitmae.datasets.AtomicFiles;
import dev.vitmae.graph.config.RecordJson;
import dev.vitmae.graph.config.TrainConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * A training checkpoint: model kind and config, train config, progress, parameters, Adam moments
 * and exponential-moving-average weights (I-JEPA's target encoder), in one zip file.
 *
 * <p>Layout: {@code checkpoint.json} (format, kind, epoch, step, dataset), {@code model.json},
 * {@code train.json}, {@code tensors.tsv} (group, name, shape, CRC-32 per tensor) and one
 * little-endian float32 entry per tensor ({@code params/NAME}, {@code adam_m/NAME}, {@code
 * adam_v/NAME}, {@code ema/NAME}), and optionally {@code info.tsv}: what the training data was
 * ({@code key TAB value} lines, e.g. class names and preprocessing; see {@link #info()}), and
 * optionally {@code lr_scales.tsv}: the per-parameter learning-rate scales of a fine-tuning run
 * ({@code name TAB scale} lines; a parameter not listed learns at scale 1, one at 0 is frozen; see
 * {@link Trainer#lrScales}). A checkpoint without these entries (older ones) reads with none.
 * Written to a temporary file and renamed, so a crash never leaves a half-written checkpoint; read
 * back with every size and checksum verified.
 */
public record Checkpoint(
    String kind,
    String modelJson,
    TrainConfig train,
    Progress progress,
    Map<String, Tensor> params,
    Map<String, Tensor> adamM,
    Map<String, Tensor> adamV,
    Map<String, Tensor> ema,
    Map<String, String> info,
    Map<String, Double> lrScales) {

  static final String FORMAT = "vitmae-checkpoint-1";
  private static final String INFO = "info.tsv";
  private static final String LR_SCALES = "lr_scales.tsv";

  /** Tensor groups in file order; a checkpoint without {@code ema} tensors has none listed. */
  private static final String[] GROUPS = {"params", "adam_m", "adam_v", "ema"};

  /** Where training stands: {@code epochsDone} complete epochs, {@code step} optimizer steps. */
  public record Progress(
      String format, String kind, int epochsDone, long step, String dataset, String engine) {
    /** Progress of a run whose engine is not recorded (checkpoints before engines existed). */
    public Progress(String format, String kind, int epochsDone, long step, String dataset) {
      this(format, kind, epochsDone, step, dataset, null);
    }

    /** The engine that wrote the checkpoint ({@code samediff} when not recorded). */
    @Override
    public String engine() {
      return engine == null ? SameDiffEngine.NAME : engine;
    }
  }

  public Checkpoint {
    java.util.Objects.requireNonNull(kind, "kind");
    info = Map.copyOf(info);
    lrScales = Map.copyOf(lrScales);
  }

  /** A checkpoint of a run whose parameters all learn at the optimizer's lr (no lr scales). */
  public Checkpoint(
      String kind,
      String modelJson,
      TrainConfig train,
      Progress progress,
      Map<String, Tensor> params,
      Map<String, Tensor> adamM,
      Map<String, Tensor> adamV,
      Map<String, Tensor> ema,
      Map<String, String> info) {
    this(kind, modelJson, train, progress, params, adamM, adamV, ema, info, Map.of());
  }

  /**
   * A checkpoint before any training: epoch 0, step 0, no optimizer moments, {@code params} (every
   * parameter of {@code task}'s graph), {@code dataset} naming where the weights came from.
   */
  public static Checkpoint initial(
      Task task,
      TrainConfig train,
      Map<String, Tensor> params,
      String dataset,
      Map<String, String> info) {
    return new Checkpoint(
        task.kind(),
        task.configJson(),
        train,
        new Progress(FORMAT, task.kind(), 0, 0, dataset, SameDiffEngine.NAME),
        params,
        Map.of(),
        Map.of(),
        Map.of(),
        info);
  }

  /** A named float tensor. */
  public record Tensor(long[] shape, float[] data) {
    public Tensor {
      if (Arrays.stream(shape).reduce(1, Math::multiplyExact) != data.length) {
        throw new IllegalArgumentException(
            "shape " + Arrays.toString(shape) + " does not hold " + data.length + " values");
      }
    }
  }

  private Map<String, Map<String, Tensor>> groups() {
    Map<String, Map<String, Tensor>> g = new LinkedHashMap<>();
    g.put("params", params);
    g.put("adam_m", adamM);
    g.put("adam_v", adamV);
    g.put("ema", ema);
    return g;
  }

  /** Writes atomically: a temporary file next to {@code file}, then a rename. */
  public void write(Path file) throws IOException {
    AtomicFiles.write(
        file,
        out -> {
          ZipOutputStream zip = new ZipOutputStream(out);
          put(zip, "checkpoint.json", RecordJson.write(progress).getBytes(StandardCharsets.UTF_8));
          put(zip, "model.json", modelJson.getBytes(StandardCharsets.UTF_8));
          put(zip, "train.json", RecordJson.write(train).getBytes(StandardCharsets.UTF_8));
          StringBuilder index = new StringBuilder();
          for (var group : groups().entrySet()) {
            for (var e : group.getValue().entrySet()) {
              byte[] bytes = toBytes(e.getValue().data());
              CRC32 crc = new CRC32();
              crc.update(bytes);
              index
                  .append(group.getKey())
                  .append('\t')
                  .append(e.getKey())
                  .append('\t')
                  .append(shapeText(e.getValue().shape()))
                  .append('\t')
                  .append(crc.getValue())
                  .append('\n');
              put(zip, group.getKey() + "/" + e.getKey(), bytes);
            }
          }
          put(zip, "tensors.tsv", index.toString().getBytes(StandardCharsets.UTF_8));
          if (!info.isEmpty()) put(zip, INFO, infoText(info).getBytes(StandardCharsets.UTF_8));
          if (!lrScales.isEmpty()) {
            put(zip, LR_SCALES, scalesText(lrScales).getBytes(StandardCharsets.UTF_8));
          }
          zip.finish();
        });
  }

  /**
   * Reads and verifies a checkpoint.
   *
   * @throws CheckpointException when the file is missing, truncated, corrupt or not a vitmae
   *     checkpoint, with the file and the failing part named
   */
  public static Checkpoint read(Path file) throws CheckpointException {
    if (!Files.isRegularFile(file)) throw new CheckpointException(file, "no such file");
    try (ZipFile zip = new ZipFile(file.toFile())) {
      Progress progress = RecordJson.read(Progress.class, text(zip, file, "checkpoint.json"));
      if (!FORMAT.equals(progress.format())) {
        throw new CheckpointException(file, "format '" + progress.format() + "' is not " + FORMAT);
      }
      TrainConfig train = RecordJson.read(TrainConfig.class, text(zip, file, "train.json"));
      Map<String, Map<String, Tensor>> groups = new LinkedHashMap<>();
      for (String g : GROUPS) groups.put(g, new LinkedHashMap<>());
      for (String line : text(zip, file, "tensors.tsv").split("\n")) {
        if (line.isEmpty()) continue;
        String[] f = line.split("\t");
        if (f.length != 4 || !groups.containsKey(f[0])) {
          throw new CheckpointException(file, "tensors.tsv: malformed line '" + line + "'");
        }
        groups.get(f[0]).put(f[1], tensor(zip, file, f));
      }
      Map<String, String> info =
          zip.getEntry(INFO) == null ? Map.of() : parseInfo(file, text(zip, file, INFO));
      Map<String, Double> scales =
          zip.getEntry(LR_SCALES) == null
              ? Map.of()
              : parseScales(file, text(zip, file, LR_SCALES), groups.get("params"));
      return new Checkpoint(
          progress.kind(),
          text(zip, file, "model.json"),
          train,
          progress,
          groups.get("params"),
          groups.get("adam_m"),
          groups.get("adam_v"),
          groups.get("ema"),
          info,
          scales);
    } catch (CheckpointException e) {
      throw e; // already names the file
    } catch (ZipException e) {
      throw new CheckpointException(
          file, "truncated or not a vitmae checkpoint (zip: " + e.getMessage() + ")");
    } catch (IOException | IllegalArgumentException e) {
      throw new CheckpointException(file, e.getMessage());
    }
  }

  private static Tensor tensor(ZipFile zip, Path file, String[] f) throws IOException {
    String entry = f[0] + "/" + f[1];
    byte[] bytes = bytes(zip, file, entry);
    CRC32 crc = new CRC32();
    crc.update(bytes);
    if (crc.getValue() != Long.parseLong(f[3])) {
      throw new CheckpointException(file, entry + " is corrupt (CRC-32 mismatch)");
    }
    long[] shape =
        f[2].isEmpty()
            ? new long[0]
            : Arrays.stream(f[2].split(",")).mapToLong(Long::parseLong).toArray();
    if (bytes.length % 4 != 0) throw new CheckpointException(file, entry + " has a partial float");
    float[] data = new float[bytes.length / 4];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
    try {
      return new Tensor(shape, data);
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(file, entry + ": " + e.getMessage());
    }
  }

  private static String text(ZipFile zip, Path file, String entry) throws IOException {
    return new String(bytes(zip, file, entry), StandardCharsets.UTF_8);
  }

  private static byte[] bytes(ZipFile zip, Path file, String name) throws IOException {
    ZipEntry entry = zip.getEntry(name);
    if (entry == null) throw new CheckpointException(file, "entry '" + name + "' is missing");
    try (InputStream in = zip.getInputStream(entry)) {
      return in.readAllBytes();
    }
  }

  /** Entries are STORED (floats barely compress), so reads check our own CRC of raw bytes. */
  private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
    ZipEntry entry = new ZipEntry(name);
    CRC32 crc = new CRC32();
    crc.update(bytes);
    entry.setMethod(ZipEntry.STORED);
    entry.setSize(bytes.length);
    entry.setCompressedSize(bytes.length);
    entry.setCrc(crc.getValue());
    zip.putNextEntry(entry);
    zip.write(bytes);
    zip.closeEntry();
  }

  private static byte[] toBytes(float[] data) {
    ByteBuffer buf = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    buf.asFloatBuffer().put(data);
    return buf.array();
  }

  /**
   * This checkpoint with another model config of the same kind and parameters (settings the weights
   * do not record, such as an MAE's masking ratio); the caller keeps the parameters' shapes.
   */
  public Checkpoint withModelJson(String json) {
    return new Checkpoint(kind, json, train, progress, params, adamM, adamV, ema, info, lrScales);
  }

  /** This checkpoint with {@code more} added to its {@link #info()}. */
  public Checkpoint withInfo(Map<String, String> more) {
    Map<String, String> all = new LinkedHashMap<>(info);
    all.putAll(more);
    return new Checkpoint(
        kind, modelJson, train, progress, params, adamM, adamV, ema, all, lrScales);
  }

  private static String scalesText(Map<String, Double> scales) {
    StringBuilder out = new StringBuilder();
    new java.util.TreeMap<>(scales)
        .forEach((k, v) -> out.append(k).append('\t').append(Double.toString(v)).append('\n'));
    return out.toString();
  }

  private static Map<String, Double> parseScales(Path file, String text, Map<String, Tensor> params)
      throws CheckpointException {
    Map<String, Double> scales = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      if (line.isEmpty()) continue;
      String[] f = line.split("\t");
      if (f.length != 2) {
        throw new CheckpointException(file, LR_SCALES + ": malformed line '" + line + "'");
      }
      if (!params.containsKey(f[0])) {
        throw new CheckpointException(
            file, LR_SCALES + ": scale of '" + f[0] + "', which is not a parameter");
      }
      double scale;
      try {
        scale = Double.parseDouble(f[1]);
      } catch (NumberFormatException e) {
        throw new CheckpointException(
            file, LR_SCALES + ": scale of '" + f[0] + "' is not a number: '" + f[1] + "'");
      }
      if (!(scale >= 0) || Double.isInfinite(scale)) {
        throw new CheckpointException(
            file, LR_SCALES + ": scale of '" + f[0] + "' must be >= 0, got " + f[1]);
      }
      scales.put(f[0], scale);
    }
    return scales;
  }

  private static String infoText(Map<String, String> info) {
    StringBuilder out = new StringBuilder();
    new java.util.TreeMap<>(info)
        .forEach(
            (k, v) -> {
              if (k.contains("\t") || k.contains("\n") || v.contains("\t") || v.contains("\n")) {
                throw new IllegalArgumentException(
                    "checkpoint info '" + k + "' holds a tab or newline");
              }
              out.append(k).append('\t').append(v).append('\n');
            });
    return out.toString();
  }

  private static Map<String, String> parseInfo(Path file, String text) throws CheckpointException {
    Map<String, String> info = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      if (line.isEmpty()) continue;
      int tab = line.indexOf('\t');
      if (tab <= 0) throw new CheckpointException(file, INFO + ": malformed line '" + line + "'");
      info.put(line.substring(0, tab), line.substring(tab + 1));
    }
    return info;
  }

  static String shapeText(long[] shape) {
    return String.join(",", Arrays.stream(shape).mapToObj(Long::toString).toList());
  }
}
