package dev.vitmae.export;

/** Versions stamped into every exported model. */
public final class Version {
  private Version() {}

  /** The vitmae release. */
  public static final String VITMAE = "0.1.0-SNAPSHOT";
  /** The I/O contract (input/output names, shapes, normalization, mask semantics) of exported models. */
  public static final String IO_CONTRACT = "1";
}
