package dev.vitmae.contract;

import java.util.Locale;

/**
 * What an exported model computes; its {@link #metadataName()} is the value of {@link
 * MetadataKey#MODEL} and the exported file's name ({@code encoder.onnx}, …). The one list of kinds:
 * training tasks name the models they provide with it, the runtime checks it.
 */
public enum ModelKind {
  /** {@code images [batch,C,H,W]} → {@code tokens [batch,N,D]}, {@code embedding [batch,D]}. */
  ENCODER,
  /**
   * {@code images [batch,C,H,W]}, {@code mask [batch,N]} → {@code reconstruction [batch,C,H,W]}.
   */
  MAE,
  /** {@code images [batch,C,H,W]} → {@code logits [batch,classes]}. */
  CLASSIFIER,
  /**
   * I-JEPA context encoder + predictor: {@code images [batch,C,H,W]}, {@code context_mask
   * [batch,N]}, {@code target_mask [batch,N]} → {@code predicted_tokens [batch,N,D]}.
   */
  PREDICTOR,
  /**
   * A model outside the four contract kinds (a user-defined vitmae task's head, say): {@code
   * images} plus any other float32 inputs, any float32 outputs; served by the runtime's generic
   * {@code VitModel.run}. Its {@link MetadataKey#MODEL} names it (the runtime's {@code
   * ModelInfo.name()}).
   */
  CUSTOM;

  /** The lower-case name written to {@link MetadataKey#MODEL}, e.g. {@code encoder}. */
  public String metadataName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a {@link MetadataKey#MODEL} value.
   *
   * <p>Any other name is a {@link #CUSTOM} model.
   */
  public static ModelKind fromMetadata(String value) {
    for (ModelKind k : values()) {
      if (k != CUSTOM && k.metadataName().equalsIgnoreCase(value.trim())) return k;
    }
    return CUSTOM;
  }
}
