package dev.vitmae.graph.pretrained;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes small timm-named state dicts as safetensors files (8-byte header length, JSON header,
 * little-endian float32 data), seeded, for the mapping tests: names and shapes are timm's {@code
 * VisionTransformer(img_size, patch_size, in_chans, embed_dim, depth, num_heads, mlp_ratio=4,
 * qkv_bias=True)}.
 */
final class TinyWeights {
  final Map<String, long[]> shapes = new LinkedHashMap<>();
  final Map<String, float[]> values = new LinkedHashMap<>();
  private final SplittableRandom rng = new SplittableRandom(22);

  /** timm's names for a ViT with a class token and a head of {@code classes} (0: none). */
  static TinyWeights timm(int image, int patch, int channels, int dim, int depth, int classes) {
    TinyWeights w = new TinyWeights();
    int grid = image / patch;
    w.put("cls_token", 1, 1, dim);
    w.put("pos_embed", 1, 1 + grid * grid, dim);
    w.put("patch_embed.proj.weight", dim, channels, patch, patch);
    w.put("patch_embed.proj.bias", dim);
    for (int i = 0; i < depth; i++) {
      String b = "blocks." + i + ".";
      w.put(b + "norm1.weight", dim);
      w.put(b + "norm1.bias", dim);
      w.put(b + "attn.qkv.weight", 3 * dim, dim);
      w.put(b + "attn.qkv.bias", 3 * dim);
      w.put(b + "attn.proj.weight", dim, dim);
      w.put(b + "attn.proj.bias", dim);
      w.put(b + "norm2.weight", dim);
      w.put(b + "norm2.bias", dim);
      w.put(b + "mlp.fc1.weight", 4 * dim, dim);
      w.put(b + "mlp.fc1.bias", 4 * dim);
      w.put(b + "mlp.fc2.weight", dim, 4 * dim);
      w.put(b + "mlp.fc2.bias", dim);
    }
    w.put("norm.weight", dim);
    w.put("norm.bias", dim);
    if (classes > 0) {
      w.put("head.weight", classes, dim);
      w.put("head.bias", classes);
    }
    return w;
  }

  /** Adds (or replaces) a tensor of seeded values in [-0.5, 0.5). */
  TinyWeights put(String name, long... shape) {
    long n = 1;
    for (long d : shape) n *= d;
    float[] v = new float[Math.toIntExact(n)];
    for (int i = 0; i < v.length; i++) v[i] = (float) (rng.nextDouble() - 0.5);
    shapes.put(name, shape);
    values.put(name, v);
    return this;
  }

  TinyWeights put(String name, float[] v, long... shape) {
    shapes.put(name, shape);
    values.put(name, v);
    return this;
  }

  TinyWeights remove(String name) {
    shapes.remove(name);
    values.remove(name);
    return this;
  }

  /** Every name with {@code prefix} in front. */
  TinyWeights prefixed(String prefix) {
    TinyWeights w = new TinyWeights();
    shapes.forEach((k, s) -> w.put(prefix + k, values.get(k), s));
    return w;
  }

  Path write(Path file) throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode header = json.createObjectNode();
    long offset = 0;
    for (var e : shapes.entrySet()) {
      ObjectNode t = header.putObject(e.getKey());
      t.put("dtype", "F32");
      var shape = t.putArray("shape");
      for (long d : e.getValue()) shape.add(d);
      long bytes = 4L * values.get(e.getKey()).length;
      t.putArray("data_offsets").add(offset).add(offset + bytes);
      offset += bytes;
    }
    byte[] head = json.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
    int padded = (head.length + 7) / 8 * 8;
    ByteBuffer buf = ByteBuffer.allocate(8 + padded + (int) offset).order(ByteOrder.LITTLE_ENDIAN);
    buf.putLong(padded);
    buf.put(head);
    for (int i = head.length; i < padded; i++) buf.put((byte) ' ');
    for (float[] v : values.values()) for (float f : v) buf.putFloat(f);
    Files.write(file, buf.array());
    return file;
  }
}
