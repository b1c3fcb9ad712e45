package dev.vitmae.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hand-written pickles for what PyTorch would not write, but an attacker or a bad disk could. */
class RestrictedUnpicklerTest {
  @TempDir Path dir;

  /** Pickle opcodes, written one by one. */
  private static final class Pickle {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Pickle op(int... codes) {
      for (int c : codes) {
        out.write(c);
      }
      return this;
    }

    Pickle global(String module, String name) {
      op('c');
      out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8));
      return this;
    }

    Pickle str(String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      op('X', b.length, b.length >> 8, b.length >> 16, b.length >> 24);
      out.writeBytes(b);
      return this;
    }

    Pickle small(int n) {
      return op('K', n);
    }

    byte[] bytes() {
      return out.toByteArray();
    }
  }

  private static Object load(Pickle p) throws WeightsFormatException {
    return RestrictedUnpickler.load(p.bytes(), "test.pkl");
  }

  @Test
  void refusesAGlobalBeforeAnythingCanCallIt() {
    Pickle p = new Pickle().op(0x80, 2).global("os", "system").op(0xff, 0xff); // garbage after
    ForbiddenGlobalException e = assertThrows(ForbiddenGlobalException.class, () -> load(p));
    assertEquals("os.system", e.global());
    assertTrue(
        e.getMessage().contains("test.pkl: pickle global 'os.system' (byte 2)"), e.getMessage());
    assertTrue(e.getMessage().contains("torch._utils._rebuild_tensor_v2"), "lists the allowed");
  }

  @Test
  void refusesAProtocol4StackGlobal() {
    Pickle p = new Pickle().op(0x80, 4, 0x8c, 8);
    p.out.writeBytes("builtins".getBytes(StandardCharsets.US_ASCII));
    p.op(0x8c, 4);
    p.out.writeBytes("exec".getBytes(StandardCharsets.US_ASCII));
    p.op(0x93);
    assertEquals(
        "builtins.exec", assertThrows(ForbiddenGlobalException.class, () -> load(p)).global());
  }

  @Test
  void refusesTextOpcodesThatInstantiateClasses() {
    Pickle inst = new Pickle().op(0x80, 2, '(').op('i');
    inst.out.writeBytes("os\nsystem\n".getBytes(StandardCharsets.US_ASCII));
    WeightsFormatException e = assertThrows(WeightsFormatException.class, () -> load(inst));
    assertTrue(e.getMessage().contains("opcode 0x69 ('i')"), e.getMessage());
  }

  @Test
  void refusesCallingAStorageClass() {
    Pickle p = new Pickle().op(0x80, 2).global("torch", "FloatStorage").op(')', 'R', '.');
    WeightsFormatException e = assertThrows(WeightsFormatException.class, () -> load(p));
    assertTrue(e.getMessage().contains("only valid in a storage id"), e.getMessage());
  }

  @Test
  void refusesALengthLargerThanThePickleWithoutAllocatingIt() {
    Pickle p = new Pickle().op(0x80, 2, 'X', 0xff, 0xff, 0xff, 0x7f, 'a', '.');
    WeightsFormatException e = assertThrows(WeightsFormatException.class, () -> load(p));
    assertTrue(e.getMessage().contains("declares 2147483647 bytes, but 2 remain"), e.getMessage());
  }

  @Test
  void refusesATruncatedPickleAndAnUnwrittenMemoSlot() {
    WeightsFormatException noStop =
        assertThrows(WeightsFormatException.class, () -> load(new Pickle().op(0x80, 2, '}')));
    assertTrue(noStop.getMessage().contains("without a STOP"), noStop.getMessage());
    WeightsFormatException memo =
        assertThrows(WeightsFormatException.class, () -> load(new Pickle().op(0x80, 2, 'h', 7)));
    assertTrue(memo.getMessage().contains("memo slot 7"), memo.getMessage());
  }

  @Test
  void readsPlainContainersAndNumbers() throws WeightsFormatException {
    Pickle p =
        new Pickle()
            .op(0x80, 2, '}', '(')
            .str("epoch")
            .small(3)
            .str("neg")
            .op('J', 0xfe, 0xff, 0xff, 0xff);
    p.str("big").op(0x8a, 9, 0, 0, 0, 0, 0, 0, 0, 0, 1); // 2^64
    p.str("lr").op('G', 0x3f, 0xb9, 0x99, 0x99, 0x99, 0x99, 0x99, 0x9a); // 0.1
    p.str("pair").small(1).op('N', 0x86).str("flags").op(']', 0x88, 'a', 'u', '.');
    Map<?, ?> m = (Map<?, ?>) load(p);
    assertEquals(3L, m.get("epoch"));
    assertEquals(-2L, m.get("neg"));
    assertEquals(java.math.BigInteger.ONE.shiftLeft(64), m.get("big"));
    assertEquals(0.1, m.get("lr"));
    assertEquals(java.util.Arrays.asList(1L, null), m.get("pair"));
    assertEquals(List.of(true), m.get("flags"));
  }

  @Test
  void refusesAStrideThatReadsPastItsStorageNamingTheTensor() throws IOException {
    Path file = checkpoint(tensorPickle(2, 3, 1), 16);
    WeightsFormatException e =
        assertThrows(WeightsFormatException.class, () -> StateDict.read(file));
    assertTrue(
        e.getMessage()
            .contains(
                "tensor 'w': shape [3], strides [1] at storage offset 2 reach element 4, but its"
                    + " storage holds 4"),
        e.getMessage());
  }

  @Test
  void refusesAStorageEntryOfTheWrongSize() throws IOException {
    Path file = checkpoint(tensorPickle(0, 4, 1), 12);
    WeightsFormatException e =
        assertThrows(WeightsFormatException.class, () -> StateDict.read(file));
    assertTrue(
        e.getMessage()
            .contains("tensor 'w': storage x/data/0 holds 12 bytes, but 4 F32 elements need 16"),
        e.getMessage());
  }

  @Test
  void readsAHandWrittenStridedTensor() throws IOException {
    Path file = checkpoint(tensorPickle(1, 2, 2), 16); // elements 1 and 3 of [0, 1, 2, 3]
    try (StateDict dict = StateDict.read(file)) {
      assertEquals(List.of(1f, 3f), List.of(box(dict.tensor("w").toFloatArray())));
    }
  }

  @Test
  void readsABigEndianArchive() throws IOException {
    Path file = checkpoint(tensorPickle(1, 3, 1), 16, ByteOrder.BIG_ENDIAN);
    try (StateDict dict = StateDict.read(file)) {
      assertEquals("big", dict.metadata().get("byteorder"));
      assertEquals(List.of(1f, 2f, 3f), List.of(box(dict.tensor("w").toFloatArray())));
      float[] viaBuffer = new float[3];
      dict.tensor("w").toFloatBuffer().get(viaBuffer);
      assertEquals(List.of(1f, 2f, 3f), List.of(box(viaBuffer)));
    }
  }

  @Test
  void refusesASelfContainingDict() throws IOException {
    Pickle p = new Pickle().op(0x80, 2, '}', 'q', 0).str("a").op('h', 0, 's', '.');
    Path file = checkpoint(p.bytes(), 0);
    WeightsFormatException e =
        assertThrows(WeightsFormatException.class, () -> StateDict.read(file));
    assertTrue(e.getMessage().contains("nested more than 32 deep (or recursive)"), e.getMessage());
  }

  @Test
  void refusesADictReferencedExponentiallyOften() throws IOException {
    Pickle p = new Pickle().op(0x80, 2, '}', '(').str("x").small(1).op('u', 'q', 0, '0');
    for (int i = 1; i <= 25; i++) { // 2^25 names, 25 deep
      p.op('}', '(').str("a").op('h', i - 1).str("b").op('h', i - 1, 'u', 'q', i, '0');
    }
    p.op('}').str("m").op('h', 25, 's', '.');
    Path file = checkpoint(p.bytes(), 0);
    WeightsFormatException e =
        assertThrows(WeightsFormatException.class, () -> StateDict.read(file));
    assertTrue(
        e.getMessage().contains("unfold into more entries than its size allows"), e.getMessage());
  }

  /**
   * {@code {"w": _rebuild_tensor_v2(FloatStorage of 4, offset, (size,), (stride,), False, {})}}.
   */
  private static byte[] tensorPickle(int offset, int size, int stride) {
    Pickle p = new Pickle().op(0x80, 2, '}').str("w");
    p.global("torch._utils", "_rebuild_tensor_v2").op('(', '(').str("storage");
    p.global("torch", "FloatStorage").str("0").str("cpu").small(4).op('t', 'Q');
    p.small(offset).small(size).op(0x85).small(stride).op(0x85, 0x89, '}', 't', 'R', 's', '.');
    return p.bytes();
  }

  private Path checkpoint(byte[] pickle, int storageBytes) throws IOException {
    return checkpoint(pickle, storageBytes, ByteOrder.LITTLE_ENDIAN);
  }

  /** A torch.save-like archive: x/data.pkl and x/data/0 holding the floats 0, 1, 2, ... */
  private Path checkpoint(byte[] pickle, int storageBytes, ByteOrder order) throws IOException {
    Path file = dir.resolve("x.pt");
    try (OutputStream os = Files.newOutputStream(file);
        ZipOutputStream zip = new ZipOutputStream(os)) {
      zip.putNextEntry(new ZipEntry("x/data.pkl"));
      zip.write(pickle);
      zip.putNextEntry(new ZipEntry("x/data/0"));
      ByteBuffer floats = ByteBuffer.allocate(storageBytes).order(order);
      for (int i = 0; i < storageBytes / 4; i++) {
        floats.putFloat(i);
      }
      zip.write(floats.array());
      if (order == ByteOrder.BIG_ENDIAN) {
        zip.putNextEntry(new ZipEntry("x/byteorder"));
        zip.write("big".getBytes(StandardCharsets.US_ASCII));
      }
      zip.closeEntry();
    }
    return file;
  }

  private static Float[] box(float[] v) {
    Float[] b = new Float[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = v[i];
    }
    return b;
  }
}
