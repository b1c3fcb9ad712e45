package dev.vitmae.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class DatasetKindTest {
  @Test
  void parsesCommandLineNamesIgnoringCase() {
    assertEquals(DatasetKind.FASHION_MNIST, DatasetKind.parse("fashion-mnist"));
    assertEquals(DatasetKind.FASHION_MNIST, DatasetKind.parse("Fashion-MNIST"));
    assertEquals(DatasetKind.MNIST, DatasetKind.parse("MNIST"));
    assertEquals(DatasetKind.SYNTHETIC, DatasetKind.parse("synthetic"));
  }

  @Test
  void unknownNameListsTheAcceptedOnes() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> DatasetKind.parse("cifar"));
    assertTrue(e.getMessage().contains("'cifar'"), e.getMessage());
    assertTrue(e.getMessage().contains("fashion-mnist, mnist, synthetic"), e.getMessage());
  }

  @Test
  void syntheticLoadsSeededSplitsWithoutFiles() throws IOException {
    DatasetSplits a = DatasetKind.SYNTHETIC.load(null, 3);
    DatasetSplits b = DatasetKind.SYNTHETIC.load(null, 3);
    assertEquals(6000, a.train().count());
    assertEquals(1000, a.requireTest().count());
    assertTrue(java.util.Arrays.equals(a.train().image(17), b.train().image(17)));
    assertTrue(!java.util.Arrays.equals(a.requireTest().image(0), a.train().image(0)));
  }
}
