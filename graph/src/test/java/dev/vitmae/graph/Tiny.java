package dev.vitmae.graph;

import dev.vitmae.graph.config.IjepaConfig;
import dev.vitmae.graph.config.MaeConfig;
import dev.vitmae.graph.config.TrainConfig;
import dev.vitmae.graph.config.ViTConfig;

/**
 * The tiny models the tests build, train and export, written once with the configs' builders: every
 * part of the reference design, small enough that a step takes milliseconds. A test that needs
 * another size says what differs ({@code Tiny.vit().toBuilder().depth(1).build()}).
 *
 * <p>Shared with the other modules' tests as {@code vitmae-graph}'s test jar.
 */
public final class Tiny {
  private Tiny() {}

  /**
   * 28×28×1 images in 7×7 patches (16 tokens), dim 16, depth 2, 2 heads of 8, MLP 32, 10 classes,
   * class-token pooling, learned positions.
   */
  public static ViTConfig vit() {
    return ViTConfig.builder().dim(16).depth(2).heads(2).dimHead(8).mlpDim(32).build();
  }

  /**
   * An MAE on {@code encoder}: 25% masking (the reference's), a decoder of dim 32, depth 1, 2 heads
   * of 16, MLP 64, loss on raw pixels.
   */
  public static MaeConfig mae(ViTConfig encoder) {
    return MaeConfig.builder()
        .encoder(encoder)
        .maskingRatio(0.25)
        .decoderDim(32)
        .decoderDepth(1)
        .decoderHeads(2)
        .decoderDimHead(16)
        .decoderMlpDim(64)
        .build();
  }

  /** {@link #mae(ViTConfig)} on {@link #vit()}. */
  public static MaeConfig mae() {
    return mae(vit());
  }

  /**
   * {@link #mae()} with MAE's own 75% masking and a decoder as wide as the encoder (dim 16, 2 heads
   * of 8, MLP 32): what the training-step tests of both engines run.
   */
  public static MaeConfig maeForSteps() {
    return mae().toBuilder()
        .maskingRatio(0.75)
        .decoderDim(16)
        .decoderDimHead(8)
        .decoderMlpDim(32)
        .build();
  }

  /** I-JEPA on {@link #vit()}: a predictor of dim 16, depth 1, 2 heads of 8, MLP 16. */
  public static IjepaConfig ijepa() {
    return IjepaConfig.builder()
        .encoder(vit())
        .predictorDim(16)
        .predictorDepth(1)
        .predictorHeads(2)
        .predictorDimHead(8)
        .predictorMlpDim(16)
        .build();
  }

  /** Batch 8, lr 1e-3, weight decay 0.05, one pass per batch (no micro-batches). */
  public static TrainConfig train() {
    return TrainConfig.builder().batchSize(8).lr(1e-3).weightDecay(0.05).microBatchSize(0).build();
  }
}
