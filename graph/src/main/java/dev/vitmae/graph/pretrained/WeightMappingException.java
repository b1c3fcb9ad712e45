package dev.vitmae.graph.pretrained;

import java.util.List;

/**
 * Published weights that do not map onto vitmae's encoder: the message names every missing,
 * misshapen and unexpected tensor (also available one by one), or what could not be inferred.
 */
public class WeightMappingException extends IllegalArgumentException {
  private final List<String> missing;
  private final List<String> unexpected;
  private final List<String> misshapen;

  public WeightMappingException(String message) {
    this(message, List.of(), List.of(), List.of());
  }

  public WeightMappingException(
      String message, List<String> missing, List<String> unexpected, List<String> misshapen) {
    super(message);
    this.missing = List.copyOf(missing);
    this.unexpected = List.copyOf(unexpected);
    this.misshapen = List.copyOf(misshapen);
  }

  /** Tensors the encoder needs that the weights lack, by their name in the weights. */
  public List<String> missing() {
    return missing;
  }

  /** Tensors no part of the scheme explains. */
  public List<String> unexpected() {
    return unexpected;
  }

  /** Tensors of the wrong shape: {@code "name has shape [..], expected [..]"}. */
  public List<String> misshapen() {
    return misshapen;
  }
}
