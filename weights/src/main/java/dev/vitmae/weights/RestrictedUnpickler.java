package dev.vitmae.weights;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * An allow-list unpickler for the {@code data.pkl} of a {@code torch.save} archive, in the spirit
 * of {@code torch.load(weights_only=True)}. It interprets the binary opcodes of pickle protocols
 * 2-5 (not out-of-band buffers) but never looks anything up or calls anything: a {@code GLOBAL} may
 * name only one of {@link #ALLOWED}, each of which it builds as plain Java data; any other global
 * (e.g. {@code posix.system}, {@code builtins.eval}) stops the read with a {@link
 * ForbiddenGlobalException} naming it.
 *
 * <p>Results: dicts and {@code OrderedDict}s become {@link LinkedHashMap}s (an {@code
 * OrderedDict}'s attributes, i.e. a state dict's {@code _metadata}, are dropped), lists {@link
 * ArrayList}s, tuples unmodifiable {@link List}s, ints {@link Long} (or {@link BigInteger}), floats
 * {@link Double}, str {@link String}, bytes {@code byte[]}, None {@code null}, tensors {@link
 * TensorRef}s, {@code argparse.Namespace} a {@link Namespace} of its fields.
 */
final class RestrictedUnpickler {

  /** A storage named by a persistent id {@code ('storage', torch.XStorage, key, location, n)}. */
  record StorageRef(String key, DType dtype, long elements) {}

  /** A tensor as {@code torch._utils._rebuild_tensor_v2} would build it: a strided storage view. */
  record TensorRef(StorageRef storage, long offset, long[] size, long[] stride) {}

  /** The fields of an {@code argparse.Namespace} (training scripts save their {@code args}). */
  record Namespace(Map<String, Object> fields) {}

  private record Global(String module, String name) {
    String qualified() {
      return module + "." + name;
    }
  }

  private static final Map<String, String> ALLOWED = allowed();

  private static Map<String, String> allowed() {
    Map<String, String> m = new TreeMap<>();
    m.put("collections.OrderedDict", "dict");
    m.put("torch._utils._rebuild_tensor", "tensor");
    m.put("torch._utils._rebuild_tensor_v2", "tensor");
    m.put("torch._utils._rebuild_parameter", "parameter");
    m.put("torch._utils._rebuild_parameter_with_state", "parameter");
    m.put("argparse.Namespace", "namespace");
    for (DType d : DType.values()) {
      m.put("torch." + d.torchStorage(), "storage");
    }
    return Collections.unmodifiableMap(m);
  }

  /** The globals a checkpoint may name, for documentation and messages. */
  static Set<String> allowedGlobals() {
    return ALLOWED.keySet();
  }

  private static final Object MARK = new Object();

  private final ByteBuffer in;
  private final String source;
  private final List<Object> stack = new ArrayList<>();
  private final List<Integer> marks = new ArrayList<>();
  private final Map<Long, Object> memo = new HashMap<>();

  private RestrictedUnpickler(byte[] pickle, String source) {
    this.in = ByteBuffer.wrap(pickle).order(ByteOrder.LITTLE_ENDIAN);
    this.source = source;
  }

  /**
   * Reads one pickled object.
   *
   * @param source the file and entry, for messages
   * @throws ForbiddenGlobalException if the pickle names a global outside the allow-list
   * @throws WeightsFormatException if it is truncated, malformed or uses an unsupported opcode
   */
  static Object load(byte[] pickle, String source) throws WeightsFormatException {
    return new RestrictedUnpickler(pickle, source).run();
  }

  private Object run() throws WeightsFormatException {
    try {
      while (true) {
        int at = in.position();
        if (!in.hasRemaining()) {
          throw error(at, "ends without a STOP opcode (truncated?)");
        }
        int op = in.get() & 0xff;
        if (op == '.') {
          if (stack.size() != 1 || !marks.isEmpty()) {
            throw error(at, "STOP with " + stack.size() + " objects on the stack");
          }
          return stack.get(0);
        }
        step(op, at);
      }
    } catch (java.nio.BufferUnderflowException e) {
      throw error(in.position(), "ends inside an opcode's argument (truncated?)");
    } catch (ClassCastException | IndexOutOfBoundsException e) {
      throw error(in.position(), "is malformed: " + e.getMessage());
    }
  }

  private void step(int op, int at) throws WeightsFormatException {
    switch (op) {
      case 0x80 -> { // PROTO
        int proto = in.get() & 0xff;
        if (proto < 2 || proto > 5) {
          throw error(at, "uses pickle protocol " + proto + "; only 2 to 5 are read");
        }
      }
      case 0x95 -> in.getLong(); // FRAME: a hint only
      case '(' -> marks.add(stack.size());
      case '0' -> pop(at);
      case '1' -> popMark(at);
      case '2' -> push(peek(at));
      case 'N' -> push(null);
      case 0x88 -> push(Boolean.TRUE);
      case 0x89 -> push(Boolean.FALSE);
      case 'J' -> push((long) in.getInt());
      case 'K' -> push((long) (in.get() & 0xff));
      case 'M' -> push((long) (in.getShort() & 0xffff));
      case 0x8a -> push(longOf(bytes(in.get() & 0xff, at)));
      case 0x8b -> push(longOf(bytes(in.getInt(), at)));
      case 'G' -> push(Double.longBitsToDouble(Long.reverseBytes(in.getLong()))); // big-endian
      case 'X' -> push(string(bytes(in.getInt(), at)));
      case 0x8c -> push(string(bytes(in.get() & 0xff, at)));
      case 0x8d -> push(string(bytes(in.getLong(), at)));
      case 'T' -> push(string(bytes(in.getInt(), at)));
      case 'U' -> push(string(bytes(in.get() & 0xff, at)));
      case 'B' -> push(bytes(in.getInt(), at));
      case 'C' -> push(bytes(in.get() & 0xff, at));
      case 0x8e -> push(bytes(in.getLong(), at));
      case ')' -> push(List.of());
      case 't' -> push(Collections.unmodifiableList(popMark(at)));
      case 0x85 -> push(tuple(1, at));
      case 0x86 -> push(tuple(2, at));
      case 0x87 -> push(tuple(3, at));
      case ']' -> push(new ArrayList<>());
      case 'l' -> push(popMark(at));
      case 'a' -> {
        Object item = pop(at);
        list(peek(at), at).add(item);
      }
      case 'e' -> {
        List<Object> items = popMark(at);
        list(peek(at), at).addAll(items);
      }
      case '}' -> push(new LinkedHashMap<>());
      case 'd' -> push(pairs(new LinkedHashMap<>(), popMark(at), at));
      case 's' -> {
        Object value = pop(at);
        Object key = pop(at);
        dict(peek(at), at).put(key, value);
      }
      case 'u' -> {
        List<Object> items = popMark(at);
        pairs(dict(peek(at), at), items, at);
      }
      case 0x8f -> push(new LinkedHashSet<>());
      case 0x90 -> {
        List<Object> items = popMark(at);
        set(peek(at), at).addAll(items);
      }
      case 0x91 -> push(Collections.unmodifiableSet(new LinkedHashSet<>(popMark(at))));
      case 'q' -> memo.put((long) (in.get() & 0xff), peek(at));
      case 'r' -> memo.put(in.getInt() & 0xffffffffL, peek(at));
      case 0x94 -> memo.put((long) memo.size(), peek(at));
      case 'h' -> push(memo(in.get() & 0xff, at));
      case 'j' -> push(memo(in.getInt() & 0xffffffffL, at));
      case 'c' -> push(global(line(at), line(at), at));
      case 0x93 -> {
        Object name = pop(at);
        Object module = pop(at);
        push(global(str(module, at), str(name, at), at));
      }
      case 'Q' -> push(persistent(pop(at), at));
      case 'R' -> {
        Object args = pop(at);
        push(call(pop(at), tupleArgs(args, at), at));
      }
      case 0x81 -> {
        Object args = pop(at);
        push(call(pop(at), tupleArgs(args, at), at));
      }
      case 0x92 -> {
        Object kwargs = pop(at);
        Object args = pop(at);
        if (!dict(kwargs, at).isEmpty()) {
          throw error(at, "NEWOBJ_EX with keyword arguments");
        }
        push(call(pop(at), tupleArgs(args, at), at));
      }
      case 'b' -> {
        Object state = pop(at);
        build(peek(at), state, at);
      }
      default ->
          throw error(
              at,
              "uses opcode 0x%02x ('%s'), which a state dict does not need (protocol 0/1 text opcodes, INST/OBJ, extension codes and out-of-band buffers are not read)"
                  .formatted(op, Character.isLetterOrDigit(op) ? String.valueOf((char) op) : "?"));
    }
  }

  /** GLOBAL: refused unless allowed; an allowed one is a name, nothing is looked up. */
  private Global global(String module, String name, int at) throws WeightsFormatException {
    String qualified = module + "." + name;
    if (!ALLOWED.containsKey(qualified)) {
      throw new ForbiddenGlobalException(
          qualified,
          ("%s: pickle global '%s' (byte %d) is not allowed; nothing was executed. A checkpoint is"
                  + " read with an allow-list like torch.load(weights_only=True), and may name only %s")
              .formatted(source, qualified, at, ALLOWED.keySet()));
    }
    return new Global(module, name);
  }

  /** REDUCE and NEWOBJ of an allowed global: builds its value as data. */
  private Object call(Object callable, List<Object> args, int at) throws WeightsFormatException {
    if (!(callable instanceof Global g)) {
      throw error(at, "calls a " + typeName(callable) + ", not a global");
    }
    switch (ALLOWED.get(g.qualified())) {
      case "dict" -> {
        Map<Object, Object> m = new LinkedHashMap<>();
        if (args.size() == 1) {
          for (Object pair : list(args.get(0), at)) {
            List<?> kv = (List<?>) pair;
            m.put(kv.get(0), kv.get(1));
          }
        } else if (!args.isEmpty()) {
          throw error(at, "OrderedDict with " + args.size() + " arguments");
        }
        return m;
      }
      case "tensor" -> {
        if (args.size() < 4 || !(args.get(0) instanceof StorageRef storage)) {
          throw error(at, g.qualified() + " without (storage, offset, size, stride, ...)");
        }
        return new TensorRef(
            storage, integer(args.get(1), at), longs(args.get(2), at), longs(args.get(3), at));
      }
      case "parameter" -> {
        if (args.isEmpty() || !(args.get(0) instanceof TensorRef)) {
          throw error(at, g.qualified() + " of a " + typeName(args.isEmpty() ? null : args.get(0)));
        }
        return args.get(0);
      }
      case "namespace" -> {
        if (!args.isEmpty()) {
          throw error(at, "argparse.Namespace with positional arguments");
        }
        return new Namespace(new LinkedHashMap<>());
      }
      default ->
          throw error(at, "calls " + g.qualified() + ", which is only valid in a storage id");
    }
  }

  /** BUILD: sets the state of what REDUCE built; only a Namespace keeps it. */
  private void build(Object target, Object state, int at) throws WeightsFormatException {
    if (target instanceof Namespace ns) {
      for (Map.Entry<Object, Object> e : dict(state, at).entrySet()) {
        ns.fields().put(str(e.getKey(), at), e.getValue());
      }
    } else if (!(target instanceof Map<?, ?>) && !(target instanceof TensorRef)) {
      throw error(at, "sets the state of a " + typeName(target));
    }
  }

  /** BINPERSID: only torch's storage ids. */
  private StorageRef persistent(Object pid, int at) throws WeightsFormatException {
    if (!(pid instanceof List<?> t)
        || t.size() != 5
        || !"storage".equals(t.get(0))
        || !(t.get(1) instanceof Global type)
        || !"storage".equals(ALLOWED.get(type.qualified()))) {
      throw error(
          at, "has a persistent id that is not ('storage', torch.XStorage, key, location, n)");
    }
    DType dtype = DType.ofTorchStorage(type.name()).orElseThrow();
    return new StorageRef(str(t.get(2), at), dtype, integer(t.get(4), at));
  }

  private void push(Object o) {
    stack.add(o);
  }

  private Object pop(int at) throws WeightsFormatException {
    int floor = marks.isEmpty() ? 0 : marks.get(marks.size() - 1);
    if (stack.size() <= floor) {
      throw error(at, "pops an empty stack");
    }
    return stack.remove(stack.size() - 1);
  }

  private Object peek(int at) throws WeightsFormatException {
    if (stack.isEmpty()) {
      throw error(at, "reads an empty stack");
    }
    return stack.get(stack.size() - 1);
  }

  private List<Object> popMark(int at) throws WeightsFormatException {
    if (marks.isEmpty()) {
      throw error(at, "has no MARK to pop to");
    }
    int mark = marks.remove(marks.size() - 1);
    List<Object> items = new ArrayList<>(stack.subList(mark, stack.size()));
    stack.subList(mark, stack.size()).clear();
    return items;
  }

  private List<Object> tuple(int n, int at) throws WeightsFormatException {
    Object[] items = new Object[n];
    for (int i = n - 1; i >= 0; i--) {
      items[i] = pop(at);
    }
    return Collections.unmodifiableList(Arrays.asList(items));
  }

  private Object memo(long key, int at) throws WeightsFormatException {
    if (!memo.containsKey(key)) {
      throw error(at, "reads memo slot " + key + ", which was never written");
    }
    return memo.get(key);
  }

  private byte[] bytes(long n, int at) throws WeightsFormatException {
    if (n < 0 || n > in.remaining()) {
      throw error(at, "declares " + n + " bytes, but " + in.remaining() + " remain");
    }
    byte[] b = new byte[(int) n];
    in.get(b);
    return b;
  }

  private String line(int at) throws WeightsFormatException {
    int start = in.position();
    while (in.hasRemaining()) {
      if (in.get() == '\n') {
        return new String(in.array(), start, in.position() - start - 1, StandardCharsets.UTF_8);
      }
    }
    throw error(at, "ends inside a GLOBAL name");
  }

  private static String string(byte[] utf8) {
    return new String(utf8, StandardCharsets.UTF_8);
  }

  private static Object longOf(byte[] littleEndian) {
    if (littleEndian.length == 0) {
      return 0L;
    }
    byte[] big = new byte[littleEndian.length];
    for (int i = 0; i < big.length; i++) {
      big[i] = littleEndian[littleEndian.length - 1 - i];
    }
    BigInteger value = new BigInteger(big);
    return value.bitLength() < 64 ? (Object) value.longValue() : value;
  }

  private Map<Object, Object> pairs(Map<Object, Object> m, List<Object> items, int at)
      throws WeightsFormatException {
    if (items.size() % 2 != 0) {
      throw error(at, "sets " + items.size() + " items, an odd number, as key-value pairs");
    }
    for (int i = 0; i < items.size(); i += 2) {
      m.put(items.get(i), items.get(i + 1));
    }
    return m;
  }

  @SuppressWarnings("unchecked")
  private List<Object> tupleArgs(Object o, int at) throws WeightsFormatException {
    if (!(o instanceof List<?>)) {
      throw error(at, "passes a " + typeName(o) + " as arguments, not a tuple");
    }
    return (List<Object>) o;
  }

  @SuppressWarnings("unchecked")
  private List<Object> list(Object o, int at) throws WeightsFormatException {
    if (!(o instanceof ArrayList<?>)) {
      throw error(at, "expects a list, found a " + typeName(o));
    }
    return (List<Object>) o;
  }

  @SuppressWarnings("unchecked")
  private Map<Object, Object> dict(Object o, int at) throws WeightsFormatException {
    if (!(o instanceof Map<?, ?>)) {
      throw error(at, "expects a dict, found a " + typeName(o));
    }
    return (Map<Object, Object>) o;
  }

  @SuppressWarnings("unchecked")
  private Set<Object> set(Object o, int at) throws WeightsFormatException {
    if (!(o instanceof LinkedHashSet<?>)) {
      throw error(at, "expects a set, found a " + typeName(o));
    }
    return (Set<Object>) o;
  }

  private String str(Object o, int at) throws WeightsFormatException {
    if (!(o instanceof String s)) {
      throw error(at, "expects a str, found a " + typeName(o));
    }
    return s;
  }

  private long integer(Object o, int at) throws WeightsFormatException {
    if (!(o instanceof Long l)) {
      throw error(at, "expects an int, found a " + typeName(o));
    }
    return l;
  }

  private long[] longs(Object o, int at) throws WeightsFormatException {
    if (!(o instanceof List<?> items)) {
      throw error(at, "expects a tuple of ints, found a " + typeName(o));
    }
    long[] out = new long[items.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = integer(items.get(i), at);
    }
    return out;
  }

  private static String typeName(Object o) {
    if (o == null) {
      return "None";
    }
    if (o instanceof Global g) {
      return "global " + g.qualified();
    }
    return o.getClass().getSimpleName();
  }

  private WeightsFormatException error(int at, String what) {
    return new WeightsFormatException("%s: the pickle %s (byte %d)".formatted(source, what, at));
  }
}
