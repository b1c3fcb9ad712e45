package dev.vitmae.graph.config;

/** How a ViT turns its token sequence into one embedding. */
public enum Pooling {
  /** A learned class token is prepended; its output is the embedding. */
  CLS,
  /** The mean of the patch tokens' outputs is the embedding. */
  MEAN
}
