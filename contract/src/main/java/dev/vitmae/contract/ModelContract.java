package dev.vitmae.contract;

/**
 * The version of vitmae's model I/O contract: the {@link TensorNames tensor names}, the {@link
 * ModelKind model kinds} and the {@link MetadataKey metadata keys} an exported model carries.
 * Written to {@link MetadataKey#IO_CONTRACT} at export and checked by the runtime at open.
 */
public final class ModelContract {
  private ModelContract() {}

  /** The contract's version. */
  public static final String VERSION = "1";
}
