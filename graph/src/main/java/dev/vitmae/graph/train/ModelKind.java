package dev.vitmae.graph.train;

/** What a checkpoint holds. */
public enum ModelKind {
  /** Supervised ViT classifier ({@code ViTConfig}). */
  VIT,
  /** Masked Autoencoder ({@code MaeConfig}). */
  MAE
}
