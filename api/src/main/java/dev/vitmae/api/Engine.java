package dev.vitmae.api;

import dev.vitmae.graph.train.SameDiffEngine;
import dev.vitmae.graph.train.StepEngine;
import dev.vitmae.runtime.ModelOptions;
import dev.vitmae.train.ort.OrtEngine;
import java.util.Arrays;
import java.util.Locale;

/**
 * Who executes the training steps. The model is declared once, in SameDiff, and differentiated by
 * SameDiff either way; the loop, schedules, checkpoints and resume are the same, and a checkpoint
 * written on one engine continues on the other.
 */
public enum Engine {
  /** ONNX Runtime runs the step graph (forward, SameDiff's gradients, Adam) on the CPU or CUDA. */
  ORT(OrtEngine.NAME),
  /** ND4J executes the SameDiff graph (the reference). */
  SAMEDIFF(SameDiffEngine.NAME);

  /**
   * The engine {@code Training} and {@code vitmae train} use unless told otherwise: the one place
   * this default is set (docs/BENCHMARKS.md says why).
   */
  public static final Engine DEFAULT = ORT;

  private final String id;

  Engine(String id) {
    this.id = id;
  }

  /**
   * The name used by {@code --engine} and recorded in checkpoints: {@code ort}, {@code samediff}.
   */
  public String id() {
    return id;
  }

  /** The engine called {@code id} ({@link #id()}, any case). */
  public static Engine of(String id) {
    for (Engine e : values()) if (e.id.equalsIgnoreCase(id.strip())) return e;
    throw new IllegalArgumentException(
        "unknown training engine '"
            + id
            + "'; choose one of "
            + Arrays.stream(values()).map(Engine::id).toList());
  }

  /**
   * The factory to give a {@link dev.vitmae.graph.train.Trainer}; ONNX Runtime with {@link
   * ModelOptions#defaults()}: CUDA when its provider loads, else the CPU.
   */
  public StepEngine.Factory factory() {
    return factory(ModelOptions.defaults());
  }

  /** The factory, with ONNX Runtime's device and threads from {@code ort} (ignored by samediff). */
  public StepEngine.Factory factory(ModelOptions ort) {
    return this == ORT ? OrtEngine.factory(ort) : SameDiffEngine.FACTORY;
  }

  @Override
  public String toString() {
    return id.toLowerCase(Locale.ROOT);
  }
}
