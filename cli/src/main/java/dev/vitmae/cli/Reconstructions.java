package dev.vitmae.cli;

import dev.vitmae.contract.MaeMasking;
import dev.vitmae.contract.PatchGrid;
import dev.vitmae.datasets.ImageSource;
import dev.vitmae.datasets.Patches;
import dev.vitmae.graph.config.ViTConfig;
import dev.vitmae.graph.train.MaeTask;
import dev.vitmae.graph.train.Task;
import dev.vitmae.graph.train.Trainer;
import dev.vitmae.runtime.MaeView;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The MAE picture: for each image, original | masked | reconstruction (every patch predicted) |
 * reconstruction with the visible patches pasted back, in colour for RGB models. Masked patches are
 * drawn mid-gray. A served ONNX model only outputs the pasted reconstruction, so its picture has
 * the first, second and last columns.
 */
final class Reconstructions {
  static final List<String> COLUMNS = List.of("original", "masked", "reconstruction", "+ visible");
  static final List<String> SERVED_COLUMNS = List.of("original", "masked", "reconstruction");

  private Reconstructions() {}

  /**
   * Reconstructs the first {@code n} images of {@code data} with the task's masks from {@code seed}
   * and writes the PNG.
   */
  static void write(Trainer trainer, ImageSource data, int n, long seed, Path out)
      throws IOException {
    MaeTask task = (MaeTask) trainer.task();
    write(trainer, task.config().maskingRatio(), data, n, seed, out);
  }

  /**
   * As above with {@code ratio} of the patches masked: the same masks as {@link MaeTask#mask} for
   * that ratio; {@code trainer} holds an MAE.
   */
  static void write(Trainer trainer, double ratio, ImageSource data, int n, long seed, Path out)
      throws IOException {
    MaeTask task = (MaeTask) trainer.task();
    ViTConfig e = task.config().encoder();
    PatchGrid g = new PatchGrid(e.imageSize(), e.channels(), e.patchSize());
    int count = Math.min(n, data.count());
    float[] images = new float[count * g.valuesPerImage()];
    data.fill(Task.range(0, count), images, 0);
    float[] mask = mask(g, ratio, count, seed);
    MaeTask.Reconstruction r = task.reconstruct(trainer.graph(), images, mask, count);
    write(g, count, images, mask, r.predicted(), r.pasted(), out);
  }

  /**
   * Serves the first {@code n} images of {@code data} through an exported MAE and writes the
   * 3-column PNG.
   */
  static void write(MaeView mae, double ratio, ImageSource data, int n, long seed, Path out)
      throws IOException {
    write(
        mae,
        ratio,
        data,
        n,
        seed,
        out,
        false,
        new java.io.PrintWriter(java.io.Writer.nullWriter()));
  }

  /**
   * As {@link #write(MaeView, double, ImageSource, int, long, Path)}; an image the model refuses is
   * left out of the picture and listed on {@code log}, or, with {@code failOnBadImage}, stops the
   * command naming its file.
   */
  static void write(
      MaeView mae,
      double ratio,
      ImageSource data,
      int n,
      long seed,
      Path out,
      boolean failOnBadImage,
      java.io.PrintWriter log)
      throws IOException {
    PatchGrid g = mae.info().grid();
    if (data.channels() != g.channels() || data.imageSize() != g.imageSize()) {
      throw new IllegalArgumentException(
          data.name()
              + " has "
              + data.channels()
              + "x"
              + data.imageSize()
              + "x"
              + data.imageSize()
              + " images, but the model takes "
              + g.channels()
              + "x"
              + g.imageSize()
              + "x"
              + g.imageSize());
    }
    int count = Math.min(n, data.count());
    float[] images = new float[count * g.valuesPerImage()];
    data.fill(Task.range(0, count), images, 0);
    float[] mask = mask(g, ratio, count, seed);
    float[] pasted;
    try {
      pasted = mae.reconstruct(images, mask, count);
    } catch (IllegalArgumentException | dev.vitmae.runtime.InferenceException batchError) {
      // One run per image: keep those the model accepts, name the others.
      int length = g.valuesPerImage();
      int patches = g.numPatches();
      float[] keptImages = new float[images.length];
      float[] keptMask = new float[mask.length];
      float[] keptPasted = new float[images.length];
      int kept = 0;
      for (int i = 0; i < count; i++) {
        float[] image = Arrays.copyOfRange(images, i * length, (i + 1) * length);
        float[] m = Arrays.copyOfRange(mask, i * patches, (i + 1) * patches);
        try {
          float[] r = mae.reconstruct(image, m, 1);
          System.arraycopy(image, 0, keptImages, kept * length, length);
          System.arraycopy(m, 0, keptMask, kept * patches, patches);
          System.arraycopy(r, 0, keptPasted, kept * length, length);
          kept++;
        } catch (IllegalArgumentException | dev.vitmae.runtime.InferenceException e) {
          String name = describe(data, i);
          if (failOnBadImage) {
            throw new IllegalArgumentException(
                name
                    + ": the model refused it: "
                    + e.getMessage()
                    + " (stopped by --fail-on-bad-image; without it the image is skipped and"
                    + " listed)",
                e);
          }
          log.println("skipped " + name + ": the model refused it: " + e.getMessage());
        }
      }
      if (kept == 0) {
        throw new IllegalArgumentException(
            "the model refused all " + count + " images of " + data.name(), batchError);
      }
      count = kept;
      images = Arrays.copyOf(keptImages, kept * length);
      mask = Arrays.copyOf(keptMask, kept * patches);
      pasted = Arrays.copyOf(keptPasted, kept * length);
    }
    write(g, count, images, mask, null, pasted, out);
  }

  /** Image {@code i} of {@code data} for messages: its file when it has files. */
  private static String describe(ImageSource data, int i) {
    if (data instanceof dev.vitmae.datasets.ImageFolderSource f && i < f.files().size())
      return f.files().get(i).toString();
    return "image " + i + " of " + data.name();
  }

  /**
   * {@code [batch, numPatches]} floats, 1 = masked: {@code MaeMasking} from {@code seed}, as {@link
   * MaeTask#mask}.
   */
  static float[] mask(PatchGrid g, double ratio, int batch, long seed) {
    return MaeMasking.toFloatMask(
        MaeMasking.sample(batch, g.numPatches(), ratio, seed), g.numPatches());
  }

  /**
   * Draws the table: {@code images}, {@code predictedOrNull} (every patch predicted) and {@code
   * pasted} (visible patches passed through) are {@code [batch, C, H, W]}, {@code mask} is {@code
   * [batch, numPatches]}. Without predictions the table has {@link #SERVED_COLUMNS}, else {@link
   * #COLUMNS}.
   */
  static void write(
      PatchGrid g,
      int batch,
      float[] images,
      float[] mask,
      float[] predictedOrNull,
      float[] pasted,
      Path out)
      throws IOException {
    float[] patches =
        Patches.patchify(images, batch, g.channels(), g.imageSize(), g.imageSize(), g.patchSize());
    int n = g.numPatches();
    for (int i = 0; i < batch; i++) {
      for (int p = 0; p < n; p++) {
        if (mask[i * n + p] > 0.5f) {
          Arrays.fill(patches, (i * n + p) * g.patchDim(), (i * n + p + 1) * g.patchDim(), 0.5f);
        }
      }
    }
    float[] hidden =
        Patches.unpatchify(
            patches, batch, g.channels(), g.imageSize(), g.imageSize(), g.patchSize());
    List<List<float[]>> rows = new ArrayList<>();
    for (int i = 0; i < batch; i++) {
      List<float[]> row = new ArrayList<>(List.of(gray(images, i, g), gray(hidden, i, g)));
      if (predictedOrNull != null) {
        row.add(gray(predictedOrNull, i, g));
      }
      row.add(gray(pasted, i, g));
      rows.add(row);
    }
    List<String> columns = predictedOrNull == null ? SERVED_COLUMNS : COLUMNS;
    Pictures.writePng(Pictures.table(columns, rows, g.imageSize(), g.imageSize(), 4), out);
  }

  /**
   * Image {@code i} of a {@code [B, C, H, W]} array as a picture: RGB as it is, else one gray plane
   * (channel mean).
   */
  private static float[] gray(float[] all, int i, PatchGrid g) {
    if (g.channels() == 3) {
      return Arrays.copyOfRange(all, i * g.valuesPerImage(), (i + 1) * g.valuesPerImage());
    }
    int hw = g.imageSize() * g.imageSize();
    float[] gray = new float[hw];
    for (int ch = 0; ch < g.channels(); ch++) {
      for (int p = 0; p < hw; p++) {
        gray[p] += all[i * g.valuesPerImage() + ch * hw + p] / g.channels();
      }
    }
    return gray;
  }
}
