package dev.vitmae.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LabelSubsetsTest {
  @Test
  void equalSharesPerClassOfABalancedSourceSeeded() {
    ImageDataset data = SyntheticDigits.generate("d", 1000, 1);
    ImageSource subset = LabelSubsets.stratified(data, 60, 7);
    assertEquals(60, subset.count());
    int[] perClass = new int[10];
    for (int i = 0; i < subset.count(); i++) {
      perClass[subset.label(i)]++;
    }
    int[] six = new int[10];
    Arrays.fill(six, 6);
    assertArrayEquals(six, perClass);
    assertArrayEquals(
        LabelSubsets.indices(data, 60, 7), LabelSubsets.indices(data, 60, 7), "deterministic");
    assertFalse(
        Arrays.equals(LabelSubsets.indices(data, 60, 7), LabelSubsets.indices(data, 60, 8)),
        "another seed, another subset");
  }

  @Test
  void unevenClassesGetProportionalSharesByLargestRemainder() {
    // 5 images of class 0, 3 of class 1, 2 of class 2; 5 of them: exact shares 2.5, 1.5, 1.0.
    int[] labels = {0, 0, 0, 0, 0, 1, 1, 1, 2, 2};
    ImageDataset data = ImageDataset.labelled("u", 1, 1, new byte[10], labels, 3, List.of());
    int[] chosen = LabelSubsets.indices(data, 5, 3);
    int[] perClass = new int[3];
    for (int i : chosen) {
      perClass[labels[i]]++;
    }
    assertArrayEquals(new int[] {3, 1, 1}, perClass, "ties go to the smaller class id");
    assertThrows(IllegalArgumentException.class, () -> LabelSubsets.indices(data, 11, 3));
    assertThrows(
        IllegalArgumentException.class,
        () -> LabelSubsets.indices(ImageDataset.unlabelled("n", 1, 1, new byte[3]), 1, 3));
  }
}
