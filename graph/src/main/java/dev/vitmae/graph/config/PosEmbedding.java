package dev.vitmae.graph.config;

/** Positional embedding of the patch tokens. */
public enum PosEmbedding {
  /** A trainable {@code [numPatches, dim]} table, initialized N(0, 1) like vit-pytorch. */
  LEARNED,
  /** The fixed 2-D sine-cosine table of MAE / I-JEPA (not trained). */
  SINCOS
}
