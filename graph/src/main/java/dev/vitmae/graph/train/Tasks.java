package dev.vitmae.graph.train;

import dev.vitmae.graph.config.IjepaConfig;
import dev.vitmae.graph.config.MaeConfig;
import dev.vitmae.graph.config.RecordJson;
import dev.vitmae.graph.config.ViTConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The {@link Task} a checkpoint was trained with, rebuilt from its stored kind and config: the
 * built-in kinds ({@value #VIT}, {@value #MAE}, {@value #IJEPA}), factories on the class path
 * ({@link ServiceLoader} of {@link TaskFactory}) and factories passed in.
 */
public final class Tasks {
  /** Supervised ViT classifier ({@code ViTConfig}). */
  public static final String VIT = "vit";

  /** Masked Autoencoder ({@code MaeConfig}). */
  public static final String MAE = "mae";

  /** I-JEPA: context encoder, predictor and EMA target encoder ({@code IjepaConfig}). */
  public static final String IJEPA = "ijepa";

  private static final List<TaskFactory> BUILT_IN =
      List.of(
          factory(VIT, json -> new VitTask(RecordJson.read(ViTConfig.class, json))),
          factory(MAE, json -> new MaeTask(RecordJson.read(MaeConfig.class, json))),
          factory(IJEPA, json -> new IjepaTask(RecordJson.read(IjepaConfig.class, json))));

  private Tasks() {}

  /** A factory of {@code kind} from a function of the config JSON. */
  public static TaskFactory factory(String kind, Function<String, Task> fromConfig) {
    return new TaskFactory() {
      @Override
      public String kind() {
        return kind;
      }

      @Override
      public Task fromConfig(String configJson) {
        return fromConfig.apply(configJson);
      }
    };
  }

  /**
   * The task of {@code checkpoint}; {@code extra} factories are tried first, then the class path's,
   * then the built-in ones. Kinds compare ignoring case (older checkpoints say {@code MAE}).
   *
   * @throws IllegalArgumentException when no factory knows the kind, listing the known ones
   */
  public static Task of(Checkpoint checkpoint, TaskFactory... extra) {
    return of(checkpoint.kind(), checkpoint.modelJson(), extra);
  }

  /**
   * The task of {@code kind} with config {@code configJson} (see {@link #of(Checkpoint,
   * TaskFactory...)}).
   */
  public static Task of(String kind, String configJson, TaskFactory... extra) {
    List<TaskFactory> all = factories(extra);
    for (TaskFactory f : all) {
      if (f.kind().equalsIgnoreCase(kind)) return f.fromConfig(configJson);
    }
    TreeSet<String> known = new TreeSet<>();
    all.forEach(f -> known.add(f.kind().toLowerCase(Locale.ROOT)));
    throw new IllegalArgumentException(
        "no task is registered for model kind '"
            + kind
            + "'; known kinds: "
            + known
            + ". For a model of your own, pass its TaskFactory or list it"
            + " in META-INF/services/"
            + TaskFactory.class.getName());
  }

  private static List<TaskFactory> factories(TaskFactory... extra) {
    List<TaskFactory> all = new ArrayList<>(List.of(extra));
    ServiceLoader.load(TaskFactory.class).forEach(all::add);
    all.addAll(BUILT_IN);
    return all;
  }

  /**
   * A trainer holding the checkpoint's weights and optimizer state, ready to evaluate or resume.
   */
  public static Trainer restore(Checkpoint checkpoint, TaskFactory... extra)
      throws CheckpointException {
    return Trainer.resume(of(checkpoint, extra), checkpoint.train(), checkpoint);
  }
}
