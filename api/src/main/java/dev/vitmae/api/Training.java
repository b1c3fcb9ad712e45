package dev.vitmae.api;

import dev.vitmae.datasets.ImageSource;
import dev.vitmae.graph.config.IjepaConfig;
import dev.vitmae.graph.config.MaeConfig;
import dev.vitmae.graph.config.TrainConfig;
import dev.vitmae.graph.config.ViTConfig;
import dev.vitmae.graph.train.Checkpoint;
import dev.vitmae.graph.train.IjepaTask;
import dev.vitmae.graph.train.Listeners;
import dev.vitmae.graph.train.MaeTask;
import dev.vitmae.graph.train.MemoryPolicy;
import dev.vitmae.graph.train.Task;
import dev.vitmae.graph.train.Tasks;
import dev.vitmae.graph.train.Trainer;
import dev.vitmae.graph.train.TrainingListener;
import dev.vitmae.graph.train.VitTask;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Declare → train in one expression: a model config (or any {@link Task}), the training settings by
 * name, then {@link #fit}. Nothing is written to disk unless asked ({@link #runDirectory}, {@link
 * #listeners}).
 *
 * <pre>{@code
 * var mae = MaeConfig.builder().imageSize(32).channels(3).patchSize(4).dim(192).depth(6)
 *     .maskingRatio(0.75).build();
 * TrainedModel run = Training.of(mae).epochs(20).batchSize(256).lr(1.5e-4).fit(images);
 * run.exportOnnx(Path.of("onnx"));
 * }</pre>
 */
public final class Training {
  private final Task task;
  private final TrainConfig.Builder config = TrainConfig.builder();
  private final List<TrainingListener> listeners = new ArrayList<>();
  private ImageSource test;
  private Path runDirectory;
  private MemoryPolicy memoryPolicy = MemoryPolicy.JVM_DEFAULT;
  private Engine engine = Engine.DEFAULT;
  private dev.vitmae.runtime.ModelOptions ortOptions = dev.vitmae.runtime.ModelOptions.defaults();
  private boolean microBatchSet;
  private Map<String, Checkpoint.Tensor> initialEncoder = Map.of();

  private Training(Task task) {
    this.task = Objects.requireNonNull(task, "task");
  }

  /** Supervised training of a ViT classifier (the images must be labelled). */
  public static Training of(ViTConfig vit) {
    return new Training(new VitTask(vit));
  }

  /** Self-supervised MAE pre-training (labels are not needed). */
  public static Training of(MaeConfig mae) {
    return new Training(new MaeTask(mae));
  }

  /** Self-supervised I-JEPA pre-training (labels are not needed). */
  public static Training of(IjepaConfig ijepa) {
    return new Training(new IjepaTask(ijepa));
  }

  /**
   * Fine-tuning of {@code pretrained}'s encoder (a ViT, or an MAE's, or an I-JEPA's target encoder;
   * e.g. {@link Pretrained#load}) as a classifier of {@code numClasses} classes: its architecture
   * and pooling, its {@code encoder/} weights, a fresh head. The images must have the encoder's
   * size and channels ({@link dev.vitmae.graph.pretrained.WeightMapping.Options#withImageSize}
   * resamples an import's positions to another size).
   */
  public static Training fineTune(TrainedModel pretrained, int numClasses) {
    Checkpoint ckpt = pretrained.checkpoint();
    Task source = Tasks.of(ckpt);
    ViTConfig encoder;
    Map<String, Checkpoint.Tensor> weights = ckpt.params();
    if (source instanceof VitTask v) {
      encoder = v.config();
    } else if (source instanceof MaeTask m) {
      encoder = m.config().encoder();
    } else if (source instanceof IjepaTask j) {
      encoder = j.config().encoder();
      weights = ckpt.ema();
    } else {
      throw new IllegalArgumentException("a " + ckpt.kind() + " checkpoint has no ViT encoder");
    }
    Training t = of(encoder.toBuilder().numClasses(numClasses).build());
    Map<String, Checkpoint.Tensor> init = new LinkedHashMap<>();
    weights.forEach(
        (name, tensor) -> {
          if (name.startsWith("encoder/")) init.put(name, tensor);
        });
    t.initialEncoder = init;
    return t;
  }

  /** Training of any task, e.g. a model of your own. */
  public static Training of(Task task) {
    return new Training(task);
  }

  /** All training settings at once (replaces those set before). */
  public Training config(TrainConfig value) {
    config
        .epochs(value.epochs())
        .batchSize(value.batchSize())
        .lr(value.lr())
        .beta1(value.beta1())
        .beta2(value.beta2())
        .epsilon(value.epsilon())
        .weightDecay(value.weightDecay())
        .warmupSteps(value.warmupSteps())
        .cosine(value.cosine())
        .minLr(value.minLr())
        .microBatchSize(value.microBatchSize())
        .seed(value.seed());
    microBatchSet = true;
    return this;
  }

  public Training epochs(int value) {
    config.epochs(value);
    return this;
  }

  public Training batchSize(int value) {
    config.batchSize(value);
    return this;
  }

  /** Gradient-accumulation chunk (0: the whole batch in one pass). */
  public Training microBatchSize(int value) {
    config.microBatchSize(value);
    microBatchSet = true;
    return this;
  }

  public Training lr(double value) {
    config.lr(value);
    return this;
  }

  /** Decoupled weight decay (AdamW); 0 is plain Adam. */
  public Training weightDecay(double value) {
    config.weightDecay(value);
    return this;
  }

  /** Linear warm-up steps, then (with {@code cosine}) a half-cosine decay to {@code minLr}. */
  public Training schedule(int warmupSteps, boolean cosine, double minLr) {
    config.warmupSteps(warmupSteps).cosine(cosine).minLr(minLr);
    return this;
  }

  /** Seeds weight init, batch order and masks. */
  public Training seed(long value) {
    config.seed(value);
    return this;
  }

  /** Scores the model on {@code images} after every epoch (the task's metric). */
  public Training evaluateOn(ImageSource images) {
    this.test = Objects.requireNonNull(images, "images");
    return this;
  }

  /**
   * Writes {@code checkpoint.zip}, {@code metrics.csv} and {@code steps.csv} into {@code dir} after
   * every epoch.
   */
  public Training runDirectory(Path dir) {
    this.runDirectory = Objects.requireNonNull(dir, "dir");
    return this;
  }

  /** Adds listeners, called after the built-in ones (evaluation first). */
  public Training listeners(TrainingListener... more) {
    listeners.addAll(List.of(more));
    return this;
  }

  /** See {@link MemoryPolicy}: the JVM's own garbage collection unless asked. */
  public Training memoryPolicy(MemoryPolicy policy) {
    this.memoryPolicy = Objects.requireNonNull(policy, "policy");
    return this;
  }

  /**
   * Who executes the training steps ({@link Engine#DEFAULT} unless set). {@link Engine#ORT} runs
   * each batch whole: a micro-batch size not set explicitly is ignored.
   */
  public Training engine(Engine value) {
    this.engine = Objects.requireNonNull(value, "engine");
    return this;
  }

  /**
   * {@link Engine#ORT} with ONNX Runtime's device and threads, e.g. {@code
   * ModelOptions.defaults().withDevice(Device.CUDA).withStrictGpu(true)}.
   */
  public Training engine(Engine value, dev.vitmae.runtime.ModelOptions ort) {
    this.ortOptions = Objects.requireNonNull(ort, "ort");
    return engine(value);
  }

  /** The settings as they stand. */
  public TrainConfig trainConfig() {
    return config.build();
  }

  /**
   * Trains on {@code images} and returns the trained model.
   *
   * @throws IOException when a listener cannot write, or training diverged ({@link
   *     dev.vitmae.graph.train.TrainingDivergedException})
   */
  public TrainedModel fit(ImageSource images) throws IOException {
    TrainConfig settings = trainConfig();
    if (engine == Engine.ORT && !microBatchSet) {
      settings = settings.toBuilder().microBatchSize(0).build();
    }
    try (Trainer trainer =
        new Trainer(task, settings).engine(engine.factory(ortOptions)).memoryPolicy(memoryPolicy)) {
      if (!initialEncoder.isEmpty()) trainer.loadParams(initialEncoder, true);
      List<TrainingListener> all = new ArrayList<>();
      if (test != null)
        all.add(Listeners.evaluation(test, Math.max(trainer.config().batchSize(), 64)));
      if (runDirectory != null) all.addAll(Listeners.runDirectory(runDirectory, null, 0));
      all.addAll(listeners);
      trainer.fit(images, Integer.MAX_VALUE, all);
      return new TrainedModel(trainer.checkpoint());
    }
  }
}
