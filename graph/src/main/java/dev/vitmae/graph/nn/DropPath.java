package dev.vitmae.graph.nn;

import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Stochastic depth (Huang et al. 2016; timm's {@code DropPath}): during training each residual
 * branch of a Transformer block is dropped for a whole example, and scaled up when kept so that its
 * expected contribution is unchanged. Rates grow linearly over the blocks, as in timm's and MAE's
 * ViTs: block {@code i} of {@code depth} drops with {@code rate·i/(depth − 1)} (the first block
 * never; a single block drops at the full rate, where timm's {@code linspace(0, rate, 1)} would
 * leave it at 0). The graph multiplies each branch by a fed per-example scale ({@link #keep}), so
 * the masks are drawn outside it, from the batch's seed, and a micro-batch's rows carry their own.
 */
public final class DropPath {
  private DropPath() {}

  /** Scale columns per block: the attention branch, then the feed-forward one. */
  public static final int BRANCHES_PER_BLOCK = 2;

  /**
   * {@code rate} when it is a drop probability, within [0, 1).
   *
   * @throws IllegalArgumentException otherwise
   */
  public static double checkRate(double rate) {
    if (!(rate >= 0 && rate < 1)) {
      throw new IllegalArgumentException("drop-path rate must be within [0, 1), got " + rate);
    }
    return rate;
  }

  /** Block {@code block}'s drop probability in a stack of {@code depth} blocks. */
  public static double rate(double rate, int block, int depth) {
    return depth == 1 ? rate : rate * block / (depth - 1);
  }

  /**
   * The branch scales of {@code batch} examples, row-major {@code [batch, 2·depth]}: column {@code
   * 2i} block {@code i}'s attention branch, {@code 2i + 1} its feed-forward branch; each 0 with the
   * block's {@link #rate} and {@code 1/(1 − rate)} otherwise. A pure function of its arguments.
   */
  public static float[] keep(int batch, int depth, double rate, long seed) {
    checkRate(rate);
    int columns = BRANCHES_PER_BLOCK * depth;
    float[] out = new float[batch * columns];
    SplittableRandom random = new SplittableRandom(seed);
    for (int b = 0; b < batch; b++) {
      for (int j = 0; j < columns; j++) {
        double p = rate(rate, j / BRANCHES_PER_BLOCK, depth);
        out[b * columns + j] = random.nextDouble() < p ? 0f : (float) (1 / (1 - p));
      }
    }
    return out;
  }

  /**
   * {@code branch [B·tokens, dim]} with each example's rows scaled by column {@code column} of
   * {@code keep [B, 2·depth]}.
   */
  public static SDVariable apply(
      SameDiff sd, SDVariable branch, SDVariable keep, int column, int tokens, int dim) {
    SDVariable scale = sd.slice(keep, new int[] {0, column}, -1, 1);
    SDVariable perExample = sd.reshape(branch, -1, (long) tokens * dim).mul(scale);
    return sd.reshape(perExample, -1, dim);
  }
}
