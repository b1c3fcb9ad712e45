package dev.vitmae.runtime;

/** Where a {@link VitModel} runs: {@code AUTO} tries CUDA and falls back to the CPU. */
public enum Device {
  /** CUDA when the provider loads, otherwise the CPU (with a WARN saying why). */
  AUTO,
  /** The CPU execution provider only. */
  CPU,
  /**
   * The CUDA execution provider; see {@link ModelOptions#strictGpu()} for what happens when it is
   * missing.
   */
  CUDA
}
