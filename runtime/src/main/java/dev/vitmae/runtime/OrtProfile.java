package dev.vitmae.runtime;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-node time profile ONNX Runtime writes for a session opened with {@link
 * ModelOptions#profile()}: a Chrome trace (a JSON array of events) where each run is a {@code
 * model_run} event of category {@code Session} and each node's kernel a {@code <node>_kernel_time}
 * event of category {@code Node} whose {@code args.op_name} is its operator. Summed here per node
 * or operator type, per run.
 *
 * @param runs the runs of the session, in order; each maps a node's name to its kernel's time in
 *     that run
 * @param runMicros each run's own duration, in microseconds
 */
public record OrtProfile(List<Map<String, Op>> runs, List<Long> runMicros) {
  /**
   * Kernels of one node ({@code name}), or of one operator type ({@code name} empty), in a run or a
   * sum of runs: how many ran and for how long, in microseconds.
   */
  public record Op(String name, String opType, int calls, long micros) {
    /** The two summed (same node, or same operator type). */
    public Op plus(Op o) {
      return new Op(name, opType, calls + o.calls, micros + o.micros);
    }
  }

  private record Event(String cat, String name, String opType, long ts, long dur) {}

  /**
   * Reads a profile file.
   *
   * @throws IOException when it cannot be read
   * @throws IllegalArgumentException naming the file when it is not ONNX Runtime's trace
   */
  public static OrtProfile read(Path file) throws IOException {
    List<Event> events = new ArrayList<>();
    try (JsonParser p = new JsonFactory().createParser(file.toFile())) {
      if (p.nextToken() != JsonToken.START_ARRAY) throw notATrace(file, p, "a JSON array");
      while (p.nextToken() == JsonToken.START_OBJECT) events.add(event(file, p));
      if (p.currentToken() != JsonToken.END_ARRAY) throw notATrace(file, p, "an event object");
    }
    List<Event> runEvents =
        events.stream()
            .filter(e -> e.cat.equals("Session") && e.name.equals("model_run"))
            .sorted(Comparator.comparingLong(Event::ts))
            .toList();
    List<Map<String, Op>> runs = new ArrayList<>();
    for (int i = 0; i < runEvents.size(); i++) runs.add(new LinkedHashMap<>());
    for (Event e : events) {
      if (!e.cat.equals("Node") || !e.name.endsWith("_kernel_time") || e.opType == null) continue;
      int run = runOf(runEvents, e.ts);
      if (run < 0) continue;
      String node = e.name.substring(0, e.name.length() - "_kernel_time".length());
      runs.get(run).merge(node, new Op(node, e.opType, 1, e.dur), Op::plus);
    }
    return new OrtProfile(runs, runEvents.stream().map(Event::dur).toList());
  }

  /**
   * Runs {@code from} (inclusive) to the end summed per operator type ({@link Op#name()} empty),
   * largest first (e.g. skipping the first run, whose allocations the later ones reuse).
   */
  public List<Op> total(int from) {
    Map<String, Op> sum = new LinkedHashMap<>();
    for (Op op : nodes(from)) {
      sum.merge(op.opType, new Op("", op.opType, op.calls, op.micros), Op::plus);
    }
    return sum.values().stream().sorted(Comparator.comparingLong(Op::micros).reversed()).toList();
  }

  /** Runs {@code from} (inclusive) to the end summed per node, largest first. */
  public List<Op> nodes(int from) {
    Map<String, Op> sum = new LinkedHashMap<>();
    for (Map<String, Op> run : runs.subList(Math.min(from, runs.size()), runs.size())) {
      for (Op op : run.values()) sum.merge(op.name, op, Op::plus);
    }
    return sum.values().stream().sorted(Comparator.comparingLong(Op::micros).reversed()).toList();
  }

  /** The summed duration of runs {@code from} to the end, in microseconds. */
  public long runMicros(int from) {
    return runMicros.subList(Math.min(from, runMicros.size()), runMicros.size()).stream()
        .mapToLong(Long::longValue)
        .sum();
  }

  private static int runOf(List<Event> runs, long ts) {
    for (int i = runs.size() - 1; i >= 0; i--) {
      Event r = runs.get(i);
      if (ts >= r.ts) return ts <= r.ts + r.dur ? i : -1;
    }
    return -1;
  }

  private static Event event(Path file, JsonParser p) throws IOException {
    String cat = "";
    String name = "";
    String opType = null;
    long ts = 0;
    long dur = 0;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      switch (field) {
        case "cat" -> cat = p.getValueAsString("");
        case "name" -> name = p.getValueAsString("");
        case "ts" -> ts = p.getValueAsLong();
        case "dur" -> dur = p.getValueAsLong();
        case "args" -> {
          if (value != JsonToken.START_OBJECT) throw notATrace(file, p, "an args object");
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String arg = p.currentName();
            p.nextToken();
            if (arg.equals("op_name")) opType = p.getValueAsString();
            else p.skipChildren();
          }
        }
        default -> p.skipChildren();
      }
    }
    return new Event(cat, name, opType, ts, dur);
  }

  private static IllegalArgumentException notATrace(Path file, JsonParser p, String expected) {
    return new IllegalArgumentException(
        file
            + " is not an ONNX Runtime profile: expected "
            + expected
            + " at byte "
            + p.currentLocation().getByteOffset()
            + ", found "
            + p.currentToken());
  }
}
