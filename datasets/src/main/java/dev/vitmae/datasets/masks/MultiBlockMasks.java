package dev.vitmae.datasets.masks;

/**
 * I-JEPA masks for a batch, as flattened row-major grid indices sorted ascending within a block:
 * {@code context} is {@code [nEnc][batch][k]} (patches the context encoder sees) and {@code target}
 * is {@code [nPred][batch][m]} (patches the predictor must predict). {@code k} and {@code m} are
 * the same for every sample of a batch, so each list stacks into a tensor, except for masks from
 * {@link MultiBlockMaskSampler#sampleRagged}, whose context lists differ in length.
 */
public record MultiBlockMasks(int[][][] context, int[][][] target) {
  public int batch() {
    return context[0].length;
  }

  /** Patches per context list, {@code k} (the first sample's, for ragged masks). */
  public int contextLength() {
    return context[0][0].length;
  }

  /** Patches per target list, {@code m}. */
  public int targetLength() {
    return target[0][0].length;
  }
}
