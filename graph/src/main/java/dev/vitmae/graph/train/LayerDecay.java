package dev.vitmae.graph.train;

import dev.vitmae.contract.MetadataKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Per-parameter learning-rate scales for fine-tuning a pre-trained ViT encoder (the MAE paper's
 * recipe, from BEiT): layer 0 is the patch embedding, positions and cls token, layers 1..depth the
 * encoder blocks, layer depth+1 everything after them (final norm, head); a parameter of layer
 * {@code l} learns at {@code lr · decay^(depth + 1 − l)}. Freezing the encoder gives every {@code
 * encoder/} parameter scale 0 (not updated, no gradient computed).
 */
public final class LayerDecay {
  private static final Pattern BLOCK = Pattern.compile("^encoder/transformer/block(\\d+)/");

  private LayerDecay() {}

  /**
   * The checkpoint info describing a fine-tuning run with these settings ({@link
   * MetadataKey#LAYER_DECAY}, {@link MetadataKey#FREEZE_ENCODER}): a record of the run; the scales
   * themselves are {@link Checkpoint#lrScales()}.
   */
  public static Map<String, String> info(double decay, boolean freezeEncoder) {
    Map<String, String> info = new LinkedHashMap<>();
    MetadataKey.LAYER_DECAY.put(info, decay);
    MetadataKey.FREEZE_ENCODER.put(info, freezeEncoder);
    return info;
  }

  /**
   * The scales of a fine-tuning checkpoint written before checkpoints held lr scales, recomputed
   * from its recorded settings ({@link #info}); empty when it records none.
   */
  static Map<String, Double> recordedIn(Map<String, String> info, List<String> params, int depth) {
    double decay = MetadataKey.LAYER_DECAY.get(info).orElse(1.0);
    boolean freeze = MetadataKey.FREEZE_ENCODER.get(info).orElse(false);
    return decay == 1 && !freeze ? Map.of() : scales(params, depth, decay, freeze);
  }

  /** The layer of parameter {@code name} in an encoder of {@code depth} blocks. */
  public static int layer(String name, int depth) {
    Matcher m = BLOCK.matcher(name);
    if (m.find()) return Integer.parseInt(m.group(1)) + 1;
    if (name.startsWith("encoder/patch_embed/")
        || name.startsWith("encoder/pos")
        || name.equals("encoder/cls")) {
      return 0;
    }
    return depth + 1;
  }

  /**
   * The scales of {@code params}: {@code decay^(depth + 1 − layer)}, and 0 for {@code encoder/}
   * parameters when {@code freezeEncoder}.
   *
   * @throws IllegalArgumentException unless {@code 0 < decay <= 1}
   */
  public static Map<String, Double> scales(
      List<String> params, int depth, double decay, boolean freezeEncoder) {
    if (!(decay > 0 && decay <= 1)) {
      throw new IllegalArgumentException("layer decay must be within (0, 1], got " + decay);
    }
    Map<String, Double> out = new LinkedHashMap<>();
    for (String p : params) {
      boolean frozen = freezeEncoder && p.startsWith("encoder/");
      out.put(p, frozen ? 0.0 : Math.pow(decay, depth + 1 - layer(p, depth)));
    }
    return out;
  }
}
