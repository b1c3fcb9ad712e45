package dev.vitmae.graph.train;

/** What a checkpoint holds. */
public enum ModelKind {
  /** Supervised ViT classifier ({@code ViTConfig}). */
  VIT,
  /** Masked Autoencoder ({@code MaeConfig}). */
  MAE,
  /** I-JEPA: context encoder, predictor and EMA target encoder ({@code IjepaConfig}). */
  IJEPA
}
