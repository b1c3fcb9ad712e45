package dev.vitmae.graph.train;

/**
 * Rebuilds the {@link Task} of one model kind from its stored config JSON, so that a checkpoint of
 * that kind can be resumed, evaluated and exported. vitmae's own kinds are built in; a user-defined
 * kind is found through {@link java.util.ServiceLoader} (list the factory class in {@code
 * META-INF/services/dev.vitmae.graph.train.TaskFactory}) or passed explicitly to {@link
 * Tasks#of(Checkpoint, TaskFactory...)}.
 */
public interface TaskFactory {
  /** The kind this factory rebuilds, as {@link Task#kind()} returns it. */
  String kind();

  /**
   * The task of a checkpoint's {@code configJson}.
   *
   * @throws IllegalArgumentException when the JSON is not a valid config of this kind
   */
  Task fromConfig(String configJson);
}
