package dev.vitmae.weights;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitmae.contract.MetadataKey;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a safetensors file: an 8-byte little-endian header length, a JSON header {@code {"name":
 * {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, "__metadata__": {..}}}, then the
 * data. The header is validated as the reference implementation (huggingface/safetensors) does: at
 * most 100 MB, offsets in range, tensors neither overlapping nor leaving holes, byte counts
 * matching dtype and shape. Each tensor is memory-mapped when it is read, so the heap holds only
 * what the caller converts.
 */
final class SafetensorsReader {
  /** The reference implementation's bound on the header. */
  static final long MAX_HEADER_BYTES = 100_000_000L;

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private record Entry(String name, DType dtype, long[] shape, long begin, long end) {}

  private SafetensorsReader() {}

  static StateDict read(Path file) throws IOException {
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
    OpenFile open = new OpenFile(file, channel);
    try {
      return read(file, channel, open);
    } catch (IOException | RuntimeException e) {
      open.close();
      throw e;
    }
  }

  private static StateDict read(Path file, FileChannel channel, OpenFile open) throws IOException {
    long size = channel.size();
    if (size < 8) {
      throw new WeightsFormatException(
          file + ": " + size + " bytes, too short for a safetensors file (8-byte header length)");
    }
    long headerLength = readAt(channel, 0, 8).getLong(0);
    if (headerLength < 2 || headerLength > MAX_HEADER_BYTES) {
      throw new WeightsFormatException(
          "%s: safetensors header length %d (bytes 0-7) is outside [2, %d]"
              .formatted(file, headerLength, MAX_HEADER_BYTES));
    }
    if (8 + headerLength > size) {
      throw new WeightsFormatException(
          "%s: safetensors header length %d (bytes 0-7) runs past the end of the %d-byte file"
              .formatted(file, headerLength, size));
    }
    long dataStart = 8 + headerLength;
    long dataLength = size - dataStart;
    JsonNode header = parseHeader(file, readAt(channel, 8, (int) headerLength));

    Map<String, String> metadata = new LinkedHashMap<>();
    List<Entry> entries = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (field.getKey().equals("__metadata__")) {
        metadata(file, field.getValue(), metadata);
      } else {
        Entry e = entry(file, field.getKey(), field.getValue());
        if (e.end() > dataLength) {
          throw new WeightsFormatException(
              "%s: tensor '%s': data_offsets [%d, %d] (file bytes %d-%d) run past the end of the %d-byte file"
                  .formatted(
                      file,
                      e.name(),
                      e.begin(),
                      e.end(),
                      dataStart + e.begin(),
                      dataStart + e.end() - 1,
                      size));
        }
        entries.add(e);
      }
    }
    checkCoverage(file, entries, dataStart, dataLength);

    Map<String, Tensor> tensors = new LinkedHashMap<>();
    for (Entry e : entries) {
      long offset = dataStart + e.begin();
      long length = e.end() - e.begin();
      Tensor.Storage storage =
          new Tensor.Storage() {
            @Override
            public ByteBuffer bytes() throws IOException {
              open.checkOpen();
              return channel
                  .map(FileChannel.MapMode.READ_ONLY, offset, length)
                  .order(ByteOrder.LITTLE_ENDIAN);
            }

            @Override
            public long elements() {
              return length / e.dtype().bytes();
            }
          };
      tensors.put(e.name(), Tensor.contiguous(e.name(), e.shape(), e.dtype(), storage));
    }
    metadata.putIfAbsent(MetadataKey.WEIGHTS_FORMAT.name(), "safetensors");
    return new StateDict(file, tensors, Map.of(), metadata, open);
  }

  private static JsonNode parseHeader(Path file, ByteBuffer bytes) throws WeightsFormatException {
    byte[] json = new byte[bytes.remaining()];
    bytes.get(json);
    if (json[0] != '{') {
      throw new WeightsFormatException(
          file + ": the safetensors header (byte 8) does not start with '{'");
    }
    try {
      JsonNode node = JSON.readTree(json);
      if (node == null || !node.isObject()) {
        throw new WeightsFormatException(file + ": the safetensors header is not a JSON object");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new WeightsFormatException(
          file
              + ": the safetensors header (bytes 8-"
              + (7 + json.length)
              + ") is not valid JSON: "
              + e.getOriginalMessage(),
          e);
    } catch (IOException e) {
      throw new WeightsFormatException(file + ": cannot parse the safetensors header", e);
    }
  }

  private static void metadata(Path file, JsonNode node, Map<String, String> out)
      throws WeightsFormatException {
    if (!node.isObject()) {
      throw new WeightsFormatException(file + ": __metadata__ is not an object of strings");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      if (!f.getValue().isTextual()) {
        throw new WeightsFormatException(
            file + ": __metadata__ value '" + f.getKey() + "' is not a string");
      }
      out.put(f.getKey(), f.getValue().asText());
    }
  }

  private static Entry entry(Path file, String name, JsonNode node) throws WeightsFormatException {
    String where = file + ": tensor '" + name + "'";
    if (!node.isObject()) {
      throw new WeightsFormatException(where + ": header entry is not an object");
    }
    JsonNode dtypeNode = node.get("dtype");
    if (dtypeNode == null || !dtypeNode.isTextual()) {
      throw new WeightsFormatException(where + ": no \"dtype\" string");
    }
    DType dtype =
        DType.ofSafetensors(dtypeNode.asText())
            .orElseThrow(
                () ->
                    new WeightsFormatException(
                        "%s: dtype '%s' is not supported (supported: %s)"
                            .formatted(where, dtypeNode.asText(), DType.supportedSafetensors())));
    long[] shape = naturals(where, node.get("shape"), "shape", -1);
    long[] offsets = naturals(where, node.get("data_offsets"), "data_offsets", 2);
    if (offsets[0] > offsets[1]) {
      throw new WeightsFormatException(
          where + ": data_offsets " + Arrays.toString(offsets) + " end before they begin");
    }
    long numel = 1;
    try {
      for (long s : shape) {
        numel = Math.multiplyExact(numel, s);
      }
      numel = Math.multiplyExact(numel, dtype.bytes());
    } catch (ArithmeticException e) {
      throw new WeightsFormatException(where + ": shape " + Arrays.toString(shape) + " overflows");
    }
    if (numel != offsets[1] - offsets[0]) {
      throw new WeightsFormatException(
          "%s: shape %s of %s needs %d bytes, but data_offsets %s span %d"
              .formatted(
                  where,
                  Arrays.toString(shape),
                  dtype,
                  numel,
                  Arrays.toString(offsets),
                  offsets[1] - offsets[0]));
    }
    if (numel > Integer.MAX_VALUE) {
      throw new WeightsFormatException(where + ": " + numel + " bytes; at most 2 GiB per tensor");
    }
    return new Entry(name, dtype, shape, offsets[0], offsets[1]);
  }

  private static long[] naturals(String where, JsonNode node, String field, int count)
      throws WeightsFormatException {
    if (node == null || !node.isArray() || (count >= 0 && node.size() != count)) {
      throw new WeightsFormatException(
          where + ": \"" + field + "\" is not an array" + (count >= 0 ? " of " + count : ""));
    }
    long[] out = new long[node.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode n = node.get(i);
      if (!n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < 0) {
        throw new WeightsFormatException(
            where + ": \"" + field + "\" holds " + n + ", not a non-negative integer");
      }
      out[i] = n.asLong();
    }
    return out;
  }

  /** Tensors must tile the data section exactly: no overlap, no hole, nothing after the last. */
  private static void checkCoverage(Path file, List<Entry> entries, long dataStart, long length)
      throws WeightsFormatException {
    List<Entry> byOffset = new ArrayList<>(entries);
    byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
    long covered = 0;
    String previous = null;
    for (Entry e : byOffset) {
      if (e.begin() < covered) {
        throw new WeightsFormatException(
            "%s: tensors '%s' and '%s' overlap at file byte %d"
                .formatted(file, previous, e.name(), dataStart + e.begin()));
      }
      if (e.begin() > covered) {
        throw new WeightsFormatException(
            "%s: file bytes %d-%d, before tensor '%s', belong to no tensor"
                .formatted(file, dataStart + covered, dataStart + e.begin() - 1, e.name()));
      }
      covered = e.end();
      previous = e.name();
    }
    if (covered != length) {
      throw new WeightsFormatException(
          "%s: file bytes %d-%d, after the last tensor, belong to no tensor"
              .formatted(file, dataStart + covered, dataStart + length - 1));
    }
  }

  private static ByteBuffer readAt(FileChannel channel, long position, int n) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    while (buf.hasRemaining()) {
      if (channel.read(buf, position + buf.position()) < 0) {
        throw new WeightsFormatException("unexpected end of file at byte " + position);
      }
    }
    return buf.flip();
  }
}
