package dev.vitmae.export;

import java.util.Locale;

/** The models `vitmae export` can write from a checkpoint, each with its I/O contract. */
public enum ExportedModel {
  /** {@code images [B,C,H,W]} → {@code tokens [B,n,dim]}, {@code embedding [B,dim]}. */
  ENCODER,
  /** {@code images [B,C,H,W]}, {@code mask [B,n]} (1 = masked) → {@code reconstruction [B,C,H,W]}. */
  MAE,
  /** {@code images [B,C,H,W]} → {@code logits [B,classes]}. */
  CLASSIFIER,
  /**
   * I-JEPA context encoder + predictor: {@code images [B,C,H,W]}, {@code context_mask [B,n]} (1 =
   * hidden from the context), {@code target_mask [B,n]} (1 = predict) → {@code predicted_tokens
   * [B,n,dim]}.
   */
  PREDICTOR;

  /** Lower-case name used on the command line and as the file name ({@code encoder.onnx}). */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static ExportedModel parse(String s) {
    for (ExportedModel m : values()) if (m.id().equalsIgnoreCase(s.trim())) return m;
    throw new IllegalArgumentException("unknown model '" + s + "': use encoder, mae, classifier or predictor");
  }
}
