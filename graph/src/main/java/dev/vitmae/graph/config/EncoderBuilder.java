package dev.vitmae.graph.config;

/**
 * The encoder part of the builders of configs around a ViT encoder ({@link MaeConfig.Builder},
 * {@link IjepaConfig.Builder}): the whole {@link #encoder(ViTConfig)}, or its values one by one.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class EncoderBuilder<B extends EncoderBuilder<B>> {
  private ViTConfig encoder;
  private ViTConfig.Builder values;

  EncoderBuilder(ViTConfig encoder) {
    this.encoder = encoder;
  }

  /** {@code this}, as the concrete builder. */
  abstract B self();

  /** The encoder as set so far (validated now). */
  ViTConfig builtEncoder() {
    return values == null ? encoder : values.build();
  }

  /** The encoder set so far, to read from (not validated when set value by value). */
  private ViTConfig.Builder values() {
    if (values == null) values = encoder.toBuilder();
    return values;
  }

  /** The whole encoder config (replaces any encoder value set before). */
  public B encoder(ViTConfig value) {
    encoder = value;
    values = null;
    return self();
  }

  /** The encoder's {@code imageSize} (side in pixels). */
  public B imageSize(int value) {
    values().imageSize(value);
    return self();
  }

  /** The encoder's {@code patchSize}. */
  public B patchSize(int value) {
    values().patchSize(value);
    return self();
  }

  /** The encoder's {@code channels}. */
  public B channels(int value) {
    values().channels(value);
    return self();
  }

  /** The encoder's {@code dim}. */
  public B dim(int value) {
    values().dim(value);
    return self();
  }

  /** The encoder's {@code depth}. */
  public B depth(int value) {
    values().depth(value);
    return self();
  }

  /** The encoder's {@code heads}. */
  public B heads(int value) {
    values().heads(value);
    return self();
  }

  /** The encoder's {@code dimHead}. */
  public B dimHead(int value) {
    values().dimHead(value);
    return self();
  }

  /** The encoder's {@code mlpDim}. */
  public B mlpDim(int value) {
    values().mlpDim(value);
    return self();
  }
}
