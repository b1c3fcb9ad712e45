package dev.vitmae.graph.train;

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

  /**
   * Checkpoint info key recording a fine-tuning run's layer decay (a description of the run: the
   * scales themselves are {@link Checkpoint#lrScales()}).
   */
  public static final String LAYER_DECAY_KEY = "vitmae.fine_tune.layer_decay";

  /** Checkpoint info key recording whether a fine-tuning run froze the encoder. */
  public static final String FREEZE_KEY = "vitmae.fine_tune.freeze_encoder";

  private LayerDecay() {}

  /** The info keys describing a fine-tuning run with these settings. */
  public static Map<String, String> info(double decay, boolean freezeEncoder) {
    Map<String, String> info = new LinkedHashMap<>();
    info.put(LAYER_DECAY_KEY, Double.toString(decay));
    info.put(FREEZE_KEY, Boolean.toString(freezeEncoder));
    return info;
  }

  /**
   * The scales of a fine-tuning checkpoint written before checkpoints held lr scales, recomputed
   * from its recorded settings ({@link #info}); empty when it records none.
   */
  static Map<String, Double> recordedIn(Map<String, String> info, List<String> params, int depth) {
    if (!info.containsKey(LAYER_DECAY_KEY) && !info.containsKey(FREEZE_KEY)) return Map.of();
    double decay = Double.parseDouble(info.getOrDefault(LAYER_DECAY_KEY, "1"));
    boolean freeze = Boolean.parseBoolean(info.getOrDefault(FREEZE_KEY, "false"));
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
