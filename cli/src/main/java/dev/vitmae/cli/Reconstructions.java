package dev.vitmae.cli;

import dev.vitmae.datasets.ImageDataset;
import dev.vitmae.datasets.Patches;
import dev.vitmae.graph.config.ViTConfig;
import dev.vitmae.graph.model.Names;
import dev.vitmae.graph.train.MaeTask;
import dev.vitmae.graph.train.Task;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The MAE picture: for each image, original | masked | reconstruction (every patch predicted) |
 * reconstruction with the visible patches pasted back. Masked patches are drawn mid-gray.
 */
final class Reconstructions {
    static final List<String> COLUMNS = List.of("original", "masked", "reconstruction", "+ visible");

    private Reconstructions() {
    }

    /** Reconstructs the first {@code n} images of {@code data} with masks from {@code seed} and writes the PNG. */
    static void write(SameDiff mae, MaeTask task, ImageDataset data, int n, long seed, Path out) throws IOException {
        int count = Math.min(n, data.count());
        int[] idx = Task.range(0, count);
        INDArray images = Task.images(data, idx);
        INDArray mask = task.mask(count, seed);
        Map<String, INDArray> result = mae.output(Map.of(Names.IMAGES, images, Names.MASK, mask),
                Names.PREDICTED_PATCHES, Names.RECONSTRUCTION);
        write(task.config().encoder(), images, mask, result.get(Names.PREDICTED_PATCHES),
                result.get(Names.RECONSTRUCTION), out);
    }

    /** Draws the table from arrays: images and reconstruction {@code [B, C, H, W]}, mask {@code [B, n]}, predicted patches {@code [B, n, p²C]}. */
    static void write(ViTConfig c, INDArray images, INDArray mask, INDArray predictedPatches, INDArray merged, Path out)
            throws IOException {
        int b = (int) images.size(0);
        int size = c.imageSize();
        int plane = c.channels() * size * size;
        float[] original = images.dup('c').data().asFloat();
        float[] masks = mask.dup('c').data().asFloat();
        float[] predicted = Patches.unpatchify(predictedPatches.dup('c').data().asFloat(), b, c.channels(), size, size,
                c.patchSize());
        float[] pasted = merged.dup('c').data().asFloat();
        float[] patches = Patches.patchify(original, b, c.channels(), size, size, c.patchSize());
        int n = c.numPatches();
        for (int i = 0; i < b; i++) {
            for (int p = 0; p < n; p++) {
                if (masks[i * n + p] > 0.5f) {
                    java.util.Arrays.fill(patches, (i * n + p) * c.patchDim(), (i * n + p + 1) * c.patchDim(), 0.5f);
                }
            }
        }
        float[] hidden = Patches.unpatchify(patches, b, c.channels(), size, size, c.patchSize());
        List<List<float[]>> rows = new ArrayList<>();
        for (int i = 0; i < b; i++) {
            rows.add(List.of(gray(original, i, plane, c), gray(hidden, i, plane, c), gray(predicted, i, plane, c),
                    gray(pasted, i, plane, c)));
        }
        Pictures.writePng(Pictures.table(COLUMNS, rows, size, size, 4), out);
    }

    /** Image {@code i} of a {@code [B, C, H, W]} array as one gray plane (mean over channels). */
    private static float[] gray(float[] all, int i, int plane, ViTConfig c) {
        int hw = c.imageSize() * c.imageSize();
        float[] g = new float[hw];
        for (int ch = 0; ch < c.channels(); ch++) {
            for (int p = 0; p < hw; p++) {
                g[p] += all[i * plane + ch * hw + p] / c.channels();
            }
        }
        return g;
    }
}
