package dev.vitmae.datasets;

import dev.vitmae.contract.MetadataKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded, class-stratified subsets of a labelled source: the "1% / 10% of the labels" of
 * semi-supervised evaluation. Each class gets its share of {@code n} in proportion to its size
 * (largest remainders first, ties to the smaller class id), the images within a class are a seeded
 * shuffle, and the result lists the chosen images in index order.
 */
public final class LabelSubsets {
  private LabelSubsets() {}

  /**
   * The checkpoint info that records a subset of {@code count} images drawn with {@code seed}
   * ({@link MetadataKey#LABELS}, {@link MetadataKey#LABELS_SEED}).
   */
  public static java.util.Map<String, String> info(int count, long seed) {
    return java.util.Map.ofEntries(
        MetadataKey.LABELS.entry(count), MetadataKey.LABELS_SEED.entry(seed));
  }

  /**
   * {@code n} labelled images of {@code source}, stratified by class.
   *
   * @throws IllegalArgumentException if the source has no labels or {@code n} is not within {@code
   *     [1, count]}
   */
  public static ImageSource stratified(ImageSource source, int n, long seed) {
    return source.select(indices(source, n, seed));
  }

  /** The image indices {@link #stratified} selects, ascending. */
  public static int[] indices(ImageSource source, int n, long seed) {
    if (!source.hasLabels()) {
      throw new IllegalArgumentException(source.name() + " has no labels to stratify by");
    }
    if (n < 1 || n > source.count()) {
      throw new IllegalArgumentException(
          "a subset of "
              + n
              + " labels must be within 1.."
              + source.count()
              + " ("
              + source.name()
              + ")");
    }
    int classes = source.numClasses();
    List<List<Integer>> byClass = new ArrayList<>();
    for (int c = 0; c < classes; c++) byClass.add(new ArrayList<>());
    for (int i = 0; i < source.count(); i++) byClass.get(source.label(i)).add(i);
    int[] take = new int[classes];
    double[] remainder = new double[classes];
    int given = 0;
    for (int c = 0; c < classes; c++) {
      double exact = (double) n * byClass.get(c).size() / source.count();
      take[c] = (int) Math.floor(exact);
      remainder[c] = exact - take[c];
      given += take[c];
    }
    Integer[] order = new Integer[classes];
    for (int c = 0; c < classes; c++) order[c] = c;
    Arrays.sort(
        order,
        (a, b) ->
            remainder[a] != remainder[b]
                ? Double.compare(remainder[b], remainder[a])
                : Integer.compare(a, b));
    for (int k = 0; given < n; k++) {
      int c = order[k % classes];
      if (take[c] < byClass.get(c).size()) {
        take[c]++;
        given++;
      }
    }
    int[] out = new int[n];
    int at = 0;
    for (int c = 0; c < classes; c++) {
      int[] members = byClass.get(c).stream().mapToInt(Integer::intValue).toArray();
      shuffle(members, new SplittableRandom(Batches.mix(seed, c)));
      System.arraycopy(members, 0, out, at, take[c]);
      at += take[c];
    }
    Arrays.sort(out);
    return out;
  }

  private static void shuffle(int[] a, SplittableRandom rng) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
