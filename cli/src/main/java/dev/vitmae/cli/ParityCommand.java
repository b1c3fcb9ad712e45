package dev.vitmae.cli;

import dev.vitmae.datasets.ImageSource;
import dev.vitmae.datasets.masks.MaeMasking;
import dev.vitmae.datasets.masks.MultiBlockMaskSampler;
import dev.vitmae.datasets.masks.MultiBlockMasks;
import dev.vitmae.export.CheckpointExporter;
import dev.vitmae.export.ExportedModel;
import dev.vitmae.graph.config.IjepaConfig;
import dev.vitmae.graph.config.MaeConfig;
import dev.vitmae.graph.config.RecordJson;
import dev.vitmae.graph.model.Names;
import dev.vitmae.graph.train.Checkpoint;
import dev.vitmae.graph.train.IjepaTask;
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
 * computes with the checkpoint's weights? Max |Δ| per output on real test images. The default
 * tolerance is 1e-4 relative: on trained weights and real Fashion-MNIST images the encoder's tokens
 * differ by up to ~1.2e-5 of their magnitude (LayerNorm over near-constant background patches
 * amplifies float32 rounding by up to 1/√eps ≈ 316), with or without the native LayerNorm fusion.
 * The parity test suite holds random and trained weights to 1e-5 absolute on synthetic images.
 */
@Command(name = "parity", mixinStandardHelpOptions = true,
        description = "Compare the ONNX models in --onnx-dir (served by ONNX Runtime) with SameDiff on the checkpoint's weights.")
final class ParityCommand implements Callable<Integer> {
    @Option(names = "--checkpoint", required = true, paramLabel = "FILE") private Path checkpoint;
    @Option(names = "--onnx-dir", required = true, paramLabel = "DIR") private Path onnxDir;
    @Mixin private DatasetOptions dataset;
    @Option(names = "-n", defaultValue = "64", description = "Test images (default: ${DEFAULT-VALUE}).") private int count;
    @Option(names = "--tolerance", defaultValue = "1e-4",
            description = "Max |Δ| allowed, scaled by the output's magnitude above 1: |Δ| <= tol * max(1, max|SameDiff|)"
                    + " (default: ${DEFAULT-VALUE}).")
    private double tolerance;
    @Spec private CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Checkpoint ckpt = Checkpoint.read(checkpoint);
        ImageSource test = dataset.load().requireTest();
        int b = Math.min(count, test.count());
        INDArray images = Task.images(test, Task.range(0, b));
        float[] pixels = images.dup('c').data().asFloat();
        boolean ok = true;
        double worst = 0;
        for (ExportedModel model : ExportedModel.values()) {
            Path file = onnxDir.resolve(model.id() + ".onnx");
            if (!CheckpointExporter.available(ckpt.kind()).contains(model) || !Files.exists(file)) continue;
            SameDiff sd = CheckpointExporter.inferenceGraph(ckpt, model);
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
                    case PREDICTOR -> {
                        IjepaConfig config = RecordJson.read(IjepaConfig.class, ckpt.modelJson());
                        int n = config.encoder().numPatches();
                        MultiBlockMasks masks = new MultiBlockMaskSampler(config.masks()).sampleRagged(b, 11);
                        float[] hidden = IjepaTask.contextMask(masks, n);
                        float[] target = IjepaTask.targetMask(masks, 0, n);
                        feeds.put(Names.CONTEXT_MASK, Nd4j.create(hidden, new long[] {b, n}, 'c'));
                        feeds.put(Names.TARGET_MASK, Nd4j.create(target, new long[] {b, n}, 'c'));
                        actual.put(Names.PREDICTED_TOKENS, served.predictTargets(pixels, hidden, target, b));
                    }
                }
                Map<String, INDArray> expected = sd.output(feeds, actual.keySet().toArray(String[]::new));
                for (var e : actual.entrySet()) {
                    float[] want = expected.get(e.getKey()).dup('c').data().asFloat();
                    double diff = maxAbs(want, e.getValue());
                    double scale = Math.max(1, maxAbs(want, new float[want.length]));
                    ok &= diff <= tolerance * scale;
                    worst = Math.max(worst, diff / scale);
                    out.printf(Locale.ROOT, "parity %-10s %-14s %d images  max|Δ| %.3g  max|SameDiff| %.3g  (%s)%n",
                            model.id(), e.getKey(), b, diff, scale, served.executionProvider());
                }
            }
        }
        out.printf(Locale.ROOT, "parity %s: worst max|Δ| / max(1, max|SameDiff|) = %.3g, tolerance %.1g%n",
                ok ? "OK" : "FAILED", worst, tolerance);
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
