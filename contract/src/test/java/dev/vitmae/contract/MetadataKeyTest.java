package dev.vitmae.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MetadataKeyTest {

  @Test
  void aKeyWritesAndReadsItsTypedValue() {
    Map<String, String> m = new LinkedHashMap<>();
    MetadataKey.IMAGE_SIZE.put(m, 32);
    MetadataKey.MASKING_RATIO.put(m, 0.75);
    MetadataKey.FREEZE_ENCODER.put(m, true);
    assertEquals(
        Map.of(
            "vitmae.image_size", "32",
            "vitmae.masking_ratio", "0.75",
            "vitmae.fine_tune.freeze_encoder", "true"),
        m);
    assertEquals(Optional.of(32), MetadataKey.IMAGE_SIZE.get(m));
    assertEquals(Optional.of(0.75), MetadataKey.MASKING_RATIO.get(m));
    assertEquals(Optional.of(true), MetadataKey.FREEZE_ENCODER.get(m));
    assertEquals(Optional.empty(), MetadataKey.CHANNELS.get(m));
    assertEquals(Map.entry("vitmae.model", "mae"), MetadataKey.MODEL.entry("mae"));
  }

  @Test
  void aMalformedValueIsRefusedNamingKeyAndValue() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> MetadataKey.IMAGE_SIZE.get(Map.of("vitmae.image_size", "0")));
    assertEquals(
        "metadata vitmae.image_size = '0' is malformed: must be >= 1, got 0", e.getMessage());
    var ratio =
        assertThrows(IllegalArgumentException.class, () -> MetadataKey.MASKING_RATIO.parse("1"));
    assertTrue(ratio.getMessage().contains("masking ratio must be in [0, 1), got 1.0"));
    assertThrows(IllegalArgumentException.class, () -> MetadataKey.FREEZE_ENCODER.parse("yes"));
    assertThrows(IllegalArgumentException.class, () -> MetadataKey.OPSET.parse("seventeen"));
  }

  @Test
  void classNamesAreAnIndexedFamily() {
    Map<String, String> m = new LinkedHashMap<>();
    MetadataKey.putClassNames(m, List.of("cat", "dog"));
    assertEquals(Map.of("vitmae.class.0", "cat", "vitmae.class.1", "dog"), m);
    assertEquals(List.of("cat", "dog"), MetadataKey.classNames(m));
    m.put("vitmae.class.3", "gap");
    assertEquals(List.of("cat", "dog"), MetadataKey.classNames(m), "read up to the first gap");
    assertTrue(MetadataKey.isClassKey("vitmae.class.3"));
    assertFalse(MetadataKey.isClassKey("vitmae.classes"));
    assertThrows(IllegalArgumentException.class, () -> MetadataKey.classKey(-1));
  }

  @Test
  void everyKeyIsUnderTheVitmaePrefix() {
    assertEquals("vitmae.preprocessing.", MetadataKey.PREPROCESSING_PREFIX);
    assertEquals("vitmae.brightness", MetadataKey.text("brightness").name());
    assertTrue(MetadataKey.isVitmaeKey(MetadataKey.DATASET.name()));
    assertFalse(MetadataKey.isVitmaeKey("labels"));
  }
}
