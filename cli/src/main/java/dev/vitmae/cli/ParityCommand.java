package dev.vitmae.cli;

import dev.vitmae.datasets.ImageDataset;
import dev.vitmae.datasets.masks.MaeMasking;
import dev.vitmae.export.CheckpointExporter;
import dev.vitmae.export.ExportedModel;
import dev.vitmae.graph.config.MaeConfig;
import dev.vitmae.graph.config.RecordJson;
import dev.vitmae.graph.model.Names;
import dev.vitmae.graph.train.Checkpoint;
import dev.vitmae.graph.train.Task;
import dev.vitmae.runtime.ModelOptions;
import dev.vitmae.runtime.VitModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vitmae parity}: do the exported models, served by ONNX Runtime, compute what SameDiff
 * computes with the checkpoint's weights? Max |Δ| per output on real test images.
 */
@Command(name = "parity", mixinStandardHelpOptions = true,
        description = "Compare the ONNX models in --onnx-dir (served by ONNX Runtime) with SameDiff on the checkpoint's weights.")
final class ParityCommand implements Callable<Integer> {
    @Option(names = "--checkpoint", required = true, paramLabel = "FILE") private Path checkpoint;
    @Option(names = "--onnx-dir", required = true, paramLabel = "DIR") private Path onnxDir;
    @Mixin private DatasetOptions dataset;
    @Option(names = "-n", defaultValue = "64", description = "Test images (default: ${DEFAULT-VALUE}).") private int count;
    @Option(names = "--tolerance", defaultValue = "1e-5", description = "Max |Δ| allowed (default: ${DEFAULT-VALUE}).") private double tolerance;
    @Spec private CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Checkpoint ckpt = Checkpoint.read(checkpoint);
        ImageDataset test = dataset.load().test();
        int b = Math.min(count, test.count());
        INDArray images = Task.images(test, Task.range(0, b));
        float[] pixels = images.dup('c').data().asFloat();
        double worst = 0;
        for (ExportedModel model : ExportedModel.values()) {
            Path file = onnxDir.resolve(model.id() + ".onnx");
            if (!CheckpointExporter.available(ckpt.kind()).contains(model) || !Files.exists(file)) continue;
            SameDiff sd = CheckpointExporter.graph(ckpt, model);
            CheckpointExporter.loadWeights(sd, ckpt.params());
            try (VitModel served = VitModel.open(file, ModelOptions.defaults())) {
                Map<String, float[]> actual = new LinkedHashMap<>();
                Map<String, INDArray> feeds = new LinkedHashMap<>();
                feeds.put(Names.IMAGES, images);
                switch (model) {
                    case ENCODER -> {
                        var e = served.embed(pixels, b);
                        actual.put(Names.TOKENS, e.tokens());
                        actual.put(Names.EMBEDDING, e.pooled());
                    }
                    case MAE -> {
                        MaeConfig config = RecordJson.read(MaeConfig.class, ckpt.modelJson());
                        int n = config.encoder().numPatches();
                        float[] mask = MaeMasking.toFloatMask(MaeMasking.sample(b, n, config.maskingRatio(), 11), n);
                        feeds.put(Names.MASK, Nd4j.create(mask, new long[] {b, n}, 'c'));
                        actual.put(Names.RECONSTRUCTION, served.reconstruct(pixels, mask, b));
                    }
                    case CLASSIFIER -> actual.put(Names.LOGITS, served.classify(pixels, b));
                }
                Map<String, INDArray> expected = sd.output(feeds, actual.keySet().toArray(String[]::new));
                for (var e : actual.entrySet()) {
                    float[] want = expected.get(e.getKey()).dup('c').data().asFloat();
                    double diff = maxAbs(want, e.getValue());
                    worst = Math.max(worst, diff);
                    out.printf(Locale.ROOT, "parity %-10s %-14s %d images  max|Δ| %.3g  (%s)%n", model.id(), e.getKey(), b,
                            diff, served.executionProvider());
                }
            }
        }
        boolean ok = worst <= tolerance;
        out.printf(Locale.ROOT, "parity %s: worst max|Δ| %.3g, tolerance %.1g%n", ok ? "OK" : "FAILED", worst, tolerance);
        return ok ? 0 : 1;
    }

    private static double maxAbs(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalStateException("output sizes differ: " + a.length + " vs " + b.length);
        }
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }
}
