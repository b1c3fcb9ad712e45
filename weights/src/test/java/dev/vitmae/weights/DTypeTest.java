package dev.vitmae.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DTypeTest {

  @Test
  void convertsHalfPrecisionSpecialValues() {
    assertEquals(Float.POSITIVE_INFINITY, DType.halfToFloat((short) 0x7c00));
    assertEquals(Float.NEGATIVE_INFINITY, DType.halfToFloat((short) 0xfc00));
    assertTrue(Float.isNaN(DType.halfToFloat((short) 0x7e00)));
    assertEquals(65504f, DType.halfToFloat((short) 0x7bff));
    assertEquals(0x1p-24f, DType.halfToFloat((short) 0x0001), "smallest subnormal");
    assertEquals(0x1p-14f, DType.halfToFloat((short) 0x0400), "smallest normal");
    assertEquals(
        Float.floatToIntBits(-0f), Float.floatToIntBits(DType.halfToFloat((short) 0x8000)));
    assertEquals(1f, DType.halfToFloat((short) 0x3c00));
  }

  @Test
  void namesMatchSafetensorsAndTorchStorages() {
    assertEquals(DType.BF16, DType.ofSafetensors("BF16").orElseThrow());
    assertEquals(DType.F16, DType.ofTorchStorage("HalfStorage").orElseThrow());
    assertTrue(DType.ofSafetensors("F8_E4M3").isEmpty());
  }
}
