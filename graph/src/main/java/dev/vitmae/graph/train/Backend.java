package dev.vitmae.graph.train;

import org.nd4j.linalg.factory.Nd4j;

/** The ND4J backend the application chose, in words (for benchmark reports and logs). */
public final class Backend {
  private Backend() {}

  /** e.g. {@code ND4J CpuBackend, max threads 2, master threads 2}. */
  public static String describe() {
    return "ND4J "
        + Nd4j.getBackend().getClass().getSimpleName()
        + ", max threads "
        + Nd4j.getEnvironment().maxThreads()
        + ", master threads "
        + Nd4j.getEnvironment().maxMasterThreads();
  }
}
