package dev.vitmae.api;

import dev.vitmae.datasets.ImageSource;
import dev.vitmae.export.CheckpointExporter;
import dev.vitmae.export.OnnxTranslator;
import dev.vitmae.graph.eval.Features;
import dev.vitmae.graph.train.Checkpoint;
import dev.vitmae.graph.train.CheckpointException;
import dev.vitmae.graph.train.InferenceModel;
import dev.vitmae.graph.train.Task;
import dev.vitmae.graph.train.TaskFactory;
import dev.vitmae.graph.train.Tasks;
import dev.vitmae.graph.train.Trainer;
import dev.vitmae.runtime.ModelOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A trained model: its checkpoint, and one call each to save it, export it to ONNX and check that
 * the exported files compute what the trained graphs compute.
 */
public final class TrainedModel {
  private final Checkpoint checkpoint;
  private final TaskFactory[] factories;

  TrainedModel(Checkpoint checkpoint, TaskFactory... factories) {
    this.checkpoint = checkpoint;
    this.factories = factories.clone();
  }

  /**
   * A model saved by {@link #save} (or any vitmae checkpoint); {@code factories} reopen a kind of
   * your own.
   *
   * @throws CheckpointException when the file is missing or corrupt
   */
  public static TrainedModel load(Path checkpointFile, TaskFactory... factories)
      throws CheckpointException {
    return new TrainedModel(Checkpoint.read(checkpointFile), factories);
  }

  /** The model kind, e.g. {@code mae}. */
  public String kind() {
    return checkpoint.kind();
  }

  /** The weights, optimizer state and configs. */
  public Checkpoint checkpoint() {
    return checkpoint;
  }

  /** Writes the checkpoint to {@code file}, atomically. */
  public void save(Path file) throws IOException {
    checkpoint.write(file);
  }

  /** The names of the ONNX models this kind provides, e.g. {@code [encoder, mae]}. */
  public List<String> models() {
    return exporter().available();
  }

  /** Writes every model this kind provides as {@code <name>.onnx} into {@code dir}. */
  public List<Path> exportOnnx(Path dir) throws IOException {
    return exporter().export(dir);
  }

  /** Writes the named models (checked before any file is written). */
  public List<Path> exportOnnx(Path dir, List<String> models, OnnxTranslator... translators)
      throws IOException {
    return exporter().translators(translators).export(dir, models);
  }

  /** The exporter of this model, for opsets and translators. */
  public CheckpointExporter exporter() {
    return CheckpointExporter.of(checkpoint, factories);
  }

  /**
   * Compares every exported model in {@code onnxDir} with the trained graph on the first {@code
   * count} of {@code images} (see {@link Parity}).
   */
  public Parity.Report parity(Path onnxDir, ImageSource images, int count, double tolerance) {
    return Parity.check(checkpoint, onnxDir, images, count, tolerance, factories);
  }

  /** {@link #parity(Path, ImageSource, int, double)} serving with {@code serving}'s device. */
  public Parity.Report parity(
      Path onnxDir, ImageSource images, int count, double tolerance, ModelOptions serving) {
    return Parity.check(checkpoint, onnxDir, images, count, tolerance, serving, factories);
  }

  /**
   * The features of {@code images} from the model's encoder (for I-JEPA its target encoder), its
   * patch tokens read out by {@code readout}, one row per image ({@code dim} floats for {@link
   * Features.TokenReadout#MEAN}, {@code n·dim} for {@link Features.TokenReadout#CONCAT}).
   */
  public float[] encoderFeatures(ImageSource images, Features.TokenReadout readout) {
    return Features.tokens(exporter().inferenceGraph(InferenceModel.ENCODER), images, readout);
  }

  /** A score of the model: its task's metric and the value. */
  public record Score(String metric, double value) {}

  /**
   * For an MAE, the masked-patch MSE of predicting each masked pixel as its image's mean colour
   * over the visible patches, with the evaluation's masks ({@link
   * dev.vitmae.graph.train.MaeTask#meanColourFloor}): the floor {@link #evaluate} should beat;
   * empty for other models.
   */
  public java.util.OptionalDouble meanColourFloor(ImageSource images) {
    if (!(Tasks.of(checkpoint, factories) instanceof dev.vitmae.graph.train.MaeTask mae)) {
      return java.util.OptionalDouble.empty();
    }
    return java.util.OptionalDouble.of(mae.meanColourFloor(images));
  }

  /**
   * Scores the model on {@code images} with its task's metric (a ViT's accuracy, an MAE's
   * masked-patch MSE, …), {@code batchSize} images at a time.
   *
   * @throws IllegalArgumentException when the metric needs labels and {@code images} have none
   */
  public Score evaluate(ImageSource images, int batchSize) throws CheckpointException {
    Trainer trainer = Tasks.restore(checkpoint, factories);
    try {
      Task task = trainer.task();
      if (task.needsLabels() && !images.hasLabels()) {
        throw new IllegalArgumentException(
            "a "
                + task.kind()
                + " is scored against labels ("
                + task.metricName()
                + "), and "
                + images.name()
                + " has none");
      }
      return new Score(task.metricName(), trainer.evaluate(images, batchSize));
    } finally {
      trainer.close();
    }
  }
}
