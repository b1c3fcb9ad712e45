package dev.vitmae.contract;

/**
 * MAE masks for a batch: per sample, the patch indices to hide ({@code masked}, {@code
 * [batch][numMasked]}) and to encode ({@code visible}, {@code [batch][numPatches - numMasked]}),
 * both in the order of {@code argsort(noise)} as in vit-pytorch's {@code MAE}, not sorted.
 */
public record MaeMask(int[][] masked, int[][] visible) {
  public MaeMask {
    if (masked.length != visible.length) {
      throw new IllegalArgumentException(
          "masked has " + masked.length + " samples but visible has " + visible.length);
    }
  }

  public int batch() {
    return masked.length;
  }

  public int numMasked() {
    return masked.length == 0 ? 0 : masked[0].length;
  }

  public int numVisible() {
    return visible.length == 0 ? 0 : visible[0].length;
  }
}
