package dev.vitmae.runtime;

import java.util.Arrays;

/**
 * Encoder outputs of one batch, row-major and not copied.
 *
 * @param tokens {@code [batch, numTokens, dim]}
 * @param embedding {@code [batch, dim]}, the {@code embedding} output: each image's pooled
 *     embedding (metadata {@code vitmae.pool} says how)
 * @param batch images in the batch
 * @param numTokens tokens per image
 * @param dim embedding width
 * @throws IllegalArgumentException when the array lengths do not match the dimensions
 */
public record Embeddings(float[] tokens, float[] embedding, int batch, int numTokens, int dim) {

  public Embeddings {
    if ((long) batch * numTokens * dim != tokens.length || (long) batch * dim != embedding.length) {
      throw new IllegalArgumentException(
          "tokens "
              + tokens.length
              + " / embedding "
              + embedding.length
              + " floats do not match batch "
              + batch
              + ", numTokens "
              + numTokens
              + ", dim "
              + dim);
    }
  }

  /** The embedding of one sample, a copy of length {@code dim}. */
  public float[] embedding(int sample) {
    return Arrays.copyOfRange(embedding, sample * dim, (sample + 1) * dim);
  }

  /** The tokens of one sample, a copy of length {@code numTokens × dim}. */
  public float[] tokensOf(int sample) {
    int n = numTokens * dim;
    return Arrays.copyOfRange(tokens, sample * n, (sample + 1) * n);
  }
}
