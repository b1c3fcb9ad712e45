package dev.vitmae.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitmae.contract.MetadataKey;
import dev.vitmae.images.Augmentation;
import dev.vitmae.images.Preprocessing;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A source says what its pixels are; views say what their source's are. */
class ProvenanceTest {
  @TempDir Path dir;

  @Test
  void aFolderGivesItsPreprocessingAugmentationAndClassNamesAndSoDoItsViews() throws Exception {
    TestFiles.png(dir.resolve("cats/a.png"), 12, 8, 1);
    TestFiles.png(dir.resolve("dogs/b.png"), 8, 12, 2);
    TestFiles.png(dir.resolve("dogs/c.png"), 8, 8, 3);
    ImageSource folder =
        ImageFolder.builder(dir)
            .imageSize(8)
            .channels(1)
            .resize(Preprocessing.Resize.STRETCH)
            .augment(Augmentation.mae())
            .build()
            .train();
    Provenance p = folder.provenance();
    assertEquals(
        Optional.of(Preprocessing.of(8, 1).withResize(Preprocessing.Resize.STRETCH)),
        p.preprocessing());
    assertEquals(Optional.of(Augmentation.mae()), p.augmentation());
    assertEquals(List.of("cats", "dogs"), p.classNames());
    assertEquals(p, folder.head(2).provenance(), "a selection");
    assertEquals(p, LabelSubsets.stratified(folder, 2, 1).provenance(), "a label subset");
    assertEquals(p, folder.forEpoch(1, 0).provenance(), "an augmented epoch view");

    Map<String, String> m = p.toMetadata();
    assertEquals(p.preprocessing().orElseThrow(), Preprocessing.fromMetadata(m));
    assertEquals(List.of("cats", "dogs"), MetadataKey.classNames(m));
    assertTrue(m.keySet().stream().anyMatch(k -> k.startsWith(MetadataKey.AUGMENTATION_PREFIX)));
    assertTrue(m.keySet().stream().allMatch(Provenance::isKey), m.toString());
  }

  @Test
  void bytesAreStoredAtTheModelSizeAndAnotherSourceReplacesTheRecord() {
    FloatImages floats =
        FloatImages.of(new float[2 * 3 * 4 * 4], 3, 4)
            .withLabels(new int[] {0, 1}, List.of("a", "b"));
    Provenance stored = floats.provenance();
    assertEquals(Optional.of(Preprocessing.of(4, 3)), stored.preprocessing());
    assertEquals(Optional.empty(), stored.augmentation());
    assertEquals(List.of("a", "b"), stored.classNames());
    assertEquals(
        Optional.empty(),
        FloatImages.of(new float[2 * 4 * 4], 2, 4).provenance().preprocessing(),
        "no Preprocessing describes two channels");

    Map<String, String> before =
        Provenance.replaceIn(
            Map.of(MetadataKey.LABELS.name(), "2"),
            new Provenance(Preprocessing.of(8, 1), Augmentation.mae(), List.of("x", "y", "z")));
    Map<String, String> after = Provenance.replaceIn(before, stored);
    assertEquals("2", after.get(MetadataKey.LABELS.name()), "other records are kept");
    assertEquals(List.of("a", "b"), MetadataKey.classNames(after));
    assertEquals(Preprocessing.of(4, 3), Preprocessing.fromMetadata(after));
    assertFalse(
        after.keySet().stream().anyMatch(k -> k.startsWith(MetadataKey.AUGMENTATION_PREFIX)),
        "the previous source's augmentation is gone");
  }
}
