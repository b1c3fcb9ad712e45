package dev.vitmae.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A ViT-Base-sized safetensors file read within a heap smaller than the file (-Xmx96m here). */
class LargeFileTest {
  /** Four tensors of 86 MB (ViT-Base has about 344 MB of F32 weights). */
  static final long BYTES_PER_TENSOR = 86_000_000;

  @Test
  void readsA350MegabyteFileWithinASmallerHeap(@TempDir Path dir) throws IOException {
    long heap = Runtime.getRuntime().maxMemory();
    assumeTrue(heap < 350L << 20, "the surefire heap is meant to be smaller than the file");
    Path file = dir.resolve("big.safetensors");
    long perTensor = BYTES_PER_TENSOR;
    StringBuilder header = new StringBuilder("{");
    for (int i = 0; i < 4; i++) {
      header.append(
          "\"blocks.%d.mlp.fc1.weight\":{\"dtype\":\"F32\",\"shape\":[%d],\"data_offsets\":[%d,%d]},"
              .formatted(i, perTensor / 4, i * perTensor, (i + 1) * perTensor));
    }
    header
        .append("\"cls_token\":{\"dtype\":\"F32\",\"shape\":[1,1,2],\"data_offsets\":[")
        .append(4 * perTensor)
        .append(',')
        .append(4 * perTensor + 8)
        .append("]}}");
    byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
    long dataStart = 8 + json.length;
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      ByteBuffer head = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length);
      raf.write(head.array());
      raf.write(json);
      raf.setLength(dataStart + 4 * perTensor + 8); // sparse: zeros, no disk
      raf.seek(dataStart + perTensor); // the first float of blocks.1
      raf.write(new byte[] {0, 0, (byte) 0x80, 0x3f}); // 1.0f
      raf.seek(dataStart + 4 * perTensor);
      raf.write(new byte[] {0, 0, 0, 0x40, 0, 0, 0x40, 0x40}); // 2.0f, 3.0f
    }
    assertTrue(file.toFile().length() > 344_000_000L);

    try (StateDict dict = StateDict.read(file)) {
      assertEquals(5, dict.names().size());
      double sum = 0;
      for (int i = 0; i < 4; i++) {
        FloatBuffer values = dict.tensor("blocks." + i + ".mlp.fc1.weight").toFloatBuffer();
        assertEquals(perTensor / 4, values.remaining());
        while (values.hasRemaining()) {
          sum += values.get();
        }
      }
      assertEquals(1.0, sum);
      float[] cls = dict.tensor("cls_token").toFloatArray();
      assertEquals(2f, cls[0]);
      assertEquals(3f, cls[1]);
    }
  }
}
