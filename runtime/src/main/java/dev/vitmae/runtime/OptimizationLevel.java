package dev.vitmae.runtime;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;

/** ONNX Runtime graph optimization level, one to one with {@link OptLevel}. */
public enum OptimizationLevel {
  NONE(OptLevel.NO_OPT),
  BASIC(OptLevel.BASIC_OPT),
  EXTENDED(OptLevel.EXTENDED_OPT),
  LAYOUT(OptLevel.LAYOUT_OPT),
  ALL(OptLevel.ALL_OPT);

  private final OptLevel ort;

  OptimizationLevel(OptLevel ort) {
    this.ort = ort;
  }

  OptLevel ort() {
    return ort;
  }
}
