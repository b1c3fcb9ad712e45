package dev.vitmae.datasets.masks;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The I-JEPA multi-block mask sampler, after {@code MaskCollator} in facebookresearch/ijepa {@code
 * src/masks/multiblock.py}: per batch one target block size and one context block size; per sample
 * {@code nPred} target blocks and {@code nEnc} context blocks placed at random, the context minus
 * all target patches; finally every list is cut to the shortest one of its kind in the batch, so
 * the lists stack.
 *
 * <p>Deliberate differences from ijepa: (1) a top-left corner is drawn from {@code [0, grid -
 * size]} inclusive (ijepa's {@code randint(0, grid - size)} never reaches the last row or column,
 * which on a 4x4 grid would leave 7 of 16 patches unused); (2) a block keeps at least {@code
 * minKeep} patches (ijepa: more than); (3) when no context block fits after ijepa's 20 tries, the
 * sample's targets are redrawn instead of dropping target constraints, so context and targets never
 * overlap unless {@code allowOverlap}; (4) block sides are at least 1; (5) one seeded generator
 * draws sizes and positions, so a batch's masks are a pure function of the seed.
 */
public record MultiBlockMaskSampler(MultiBlockConfig config) {
  /** Placement tries before giving up on a context block (ijepa's {@code og_timeout}). */
  static final int TIMEOUT = 20;

  /** Target redraws per sample before the configuration is declared impossible. */
  static final int MAX_TARGET_DRAWS = 200;

  /** A block of {@code height x width} patches. */
  public record BlockSize(int height, int width) {
    public int area() {
      return height * width;
    }
  }

  public MultiBlockMaskSampler {
    Objects.requireNonNull(config, "config");
  }

  /** Masks for {@code batch} samples; a pure function of {@code seed}. */
  public MultiBlockMasks sample(int batch, long seed) {
    return sample(batch, new SplittableRandom(seed));
  }

  /**
   * Masks for {@code batch} samples, drawing from {@code rng}.
   *
   * @throws IllegalStateException if the configuration cannot yield blocks of {@code minKeep}
   *     patches
   */
  public MultiBlockMasks sample(int batch, SplittableRandom rng) {
    return sample(batch, rng, true);
  }

  /**
   * Masks for {@code batch} samples without ijepa's final cut: every sample keeps all of its
   * context patches, so context lists differ in length (target lists still share one block size per
   * batch and all have its area). For models that hide patches by attention masking rather than
   * gathering a fixed number of them: on a 4x4 grid the cut would leave a batch of 512 about 2
   * context patches per sample instead of about 5.5. A pure function of {@code seed}, like {@link
   * #sample(int, long)}.
   */
  public MultiBlockMasks sampleRagged(int batch, long seed) {
    return sample(batch, new SplittableRandom(seed), false);
  }

  private MultiBlockMasks sample(int batch, SplittableRandom rng, boolean cut) {
    if (batch <= 0) {
      throw new IllegalArgumentException("batch must be positive, got " + batch);
    }
    MultiBlockConfig c = config;
    BlockSize pred =
        blockSize(
            c.gridHeight(),
            c.gridWidth(),
            rng.nextDouble(),
            c.predScaleMin(),
            c.predScaleMax(),
            c.predAspectMin(),
            c.predAspectMax());
    BlockSize enc =
        blockSize(
            c.gridHeight(),
            c.gridWidth(),
            rng.nextDouble(),
            c.encScaleMin(),
            c.encScaleMax(),
            c.encAspectMin(),
            c.encAspectMax());
    requireKeepable("target", pred);
    requireKeepable("context", enc);
    int[][][] target = new int[c.nPred()][batch][];
    int[][][] context = new int[c.nEnc()][batch][];
    for (int b = 0; b < batch; b++) {
      sampleOne(b, pred, enc, rng, target, context);
    }
    return cut
        ? new MultiBlockMasks(truncate(context), truncate(target))
        : new MultiBlockMasks(context, target);
  }

  /**
   * ijepa's {@code _sample_block_size}: one uniform {@code r} sets both the scale and the aspect
   * ratio; {@code h = round(sqrt(keep * aspect))}, {@code w = round(sqrt(keep / aspect))} with
   * {@code keep = int(cells * scale)}, rounded half-to-even like Python, then clamped to [1, grid -
   * 1].
   */
  public static BlockSize blockSize(
      int gridH,
      int gridW,
      double r,
      double scaleMin,
      double scaleMax,
      double aspectMin,
      double aspectMax) {
    double scale = scaleMin + r * (scaleMax - scaleMin);
    int keep = (int) (gridH * gridW * scale);
    double aspect = aspectMin + r * (aspectMax - aspectMin);
    int h = (int) Math.rint(Math.sqrt(keep * aspect));
    int w = (int) Math.rint(Math.sqrt(keep / aspect));
    return new BlockSize(Math.max(1, Math.min(h, gridH - 1)), Math.max(1, Math.min(w, gridW - 1)));
  }

  /** Targets anywhere; then contexts outside them, redrawing the targets if no context fits. */
  private void sampleOne(
      int b,
      BlockSize pred,
      BlockSize enc,
      SplittableRandom rng,
      int[][][] target,
      int[][][] context) {
    for (int draw = 0; draw < MAX_TARGET_DRAWS; draw++) {
      boolean[] acceptable = new boolean[config.numPatches()];
      Arrays.fill(acceptable, true);
      for (int j = 0; j < config.nPred(); j++) {
        target[j][b] = place(pred, null, rng);
        for (int index : target[j][b]) {
          acceptable[index] = config.allowOverlap();
        }
      }
      if (placeContexts(b, enc, acceptable, rng, context)) {
        return;
      }
    }
    throw new IllegalStateException(
        "no context block of "
            + enc.height()
            + "x"
            + enc.width()
            + " keeps "
            + config.minKeep()
            + " patches outside "
            + config.nPred()
            + " target blocks of "
            + pred.height()
            + "x"
            + pred.width()
            + " on a "
            + config.gridHeight()
            + "x"
            + config.gridWidth()
            + " grid; lower nPred, minKeep or the target scale");
  }

  private boolean placeContexts(
      int b, BlockSize enc, boolean[] acceptable, SplittableRandom rng, int[][][] context) {
    for (int e = 0; e < config.nEnc(); e++) {
      int[] block = null;
      for (int attempt = 0; attempt < TIMEOUT && block == null; attempt++) {
        block = place(enc, acceptable, rng);
      }
      if (block == null) {
        return false;
      }
      context[e][b] = block;
    }
    return true;
  }

  /**
   * ijepa's {@code _sample_block_mask}: a block at a random corner, restricted to {@code
   * acceptable} cells (all if null); its ascending indices, or null if fewer than {@code minKeep}
   * remain.
   */
  private int[] place(BlockSize size, boolean[] acceptable, SplittableRandom rng) {
    int top = rng.nextInt(config.gridHeight() - size.height() + 1);
    int left = rng.nextInt(config.gridWidth() - size.width() + 1);
    int[] cells = new int[size.area()];
    int n = 0;
    for (int y = top; y < top + size.height(); y++) {
      for (int x = left; x < left + size.width(); x++) {
        int index = y * config.gridWidth() + x;
        if (acceptable == null || acceptable[index]) {
          cells[n++] = index;
        }
      }
    }
    return n >= config.minKeep() ? Arrays.copyOf(cells, n) : null;
  }

  private void requireKeepable(String kind, BlockSize size) {
    if (size.area() < config.minKeep()) {
      throw new IllegalStateException(
          kind
              + " blocks of "
              + size.height()
              + "x"
              + size.width()
              + " cannot keep minKeep="
              + config.minKeep()
              + " patches; lower minKeep or raise the "
              + kind
              + " scale");
    }
  }

  /**
   * Cuts every list of {@code lists[block][sample]} to the shortest one (ijepa's {@code
   * min_keep_*}).
   */
  private static int[][][] truncate(int[][][] lists) {
    int shortest = Integer.MAX_VALUE;
    for (int[][] perSample : lists) {
      for (int[] list : perSample) {
        shortest = Math.min(shortest, list.length);
      }
    }
    for (int[][] perSample : lists) {
      for (int b = 0; b < perSample.length; b++) {
        perSample[b] = Arrays.copyOf(perSample[b], shortest);
      }
    }
    return lists;
  }
}
