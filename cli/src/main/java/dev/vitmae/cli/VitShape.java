package dev.vitmae.cli;

import dev.vitmae.graph.config.ViTConfig;
import java.util.Locale;

/**
 * The published ViT shapes the benchmarks size: timm's {@code vit_tiny/small/base_patch16} (depth
 * 12, patch 16, MLP 4 × dim, {@link ViTConfig#timm}), at any image size, with random weights.
 */
enum VitShape {
  TINY(192, 3),
  SMALL(384, 6),
  BASE(768, 12);

  final int dim;
  final int heads;

  VitShape(int dim, int heads) {
    this.dim = dim;
    this.heads = heads;
  }

  /** A classifier of 10 classes of this shape on {@code imageSize}-pixel RGB images. */
  ViTConfig config(int imageSize) {
    return ViTConfig.timm(imageSize, 16, dim, 12, heads).toBuilder().numClasses(10).build();
  }

  /** E.g. {@code ViT-Base/16 at 224 px}. */
  String describe(int imageSize) {
    String name = name().charAt(0) + name().substring(1).toLowerCase(Locale.ROOT);
    return "ViT-" + name + "/16 at " + imageSize + " px (timm's shape, random weights)";
  }
}
