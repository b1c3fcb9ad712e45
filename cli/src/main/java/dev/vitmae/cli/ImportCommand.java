package dev.vitmae.cli;

import dev.vitmae.api.Pretrained;
import dev.vitmae.graph.pretrained.Source;
import dev.vitmae.graph.pretrained.WeightMapping;
import dev.vitmae.graph.pretrained.WeightMappingException;
import dev.vitmae.graph.train.Checkpoint;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vitmae import}: published ViT weights as a vitmae checkpoint. */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description =
        "Import a published ViT encoder (timm, facebookresearch/mae, ijepa, Hugging Face) as a"
            + " vitmae ViT checkpoint for train vit --init-encoder, eval probe, export and embed;"
            + " with --model mae|ijepa, the whole pre-training model, for train --resume.")
final class ImportCommand implements Callable<Integer> {
  @Option(
      names = "--from",
      required = true,
      paramLabel = "SOURCE",
      description = "timm, mae, ijepa or hf: the naming scheme of the weights.")
  private String from;

  @Option(
      names = "--weights",
      required = true,
      paramLabel = "FILE",
      description =
          ".safetensors, or a torch.save checkpoint (.pth/.pt/.bin; read without running its"
              + " pickle: any global but a state dict's is refused).")
  private Path weights;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "CKPT.zip",
      description = "The vitmae checkpoint to write.")
  private Path out;

  @Option(
      names = "--image-size",
      paramLabel = "N",
      description =
          "Use the encoder at N pixels: learned positions are resampled (bicubic, as timm),"
              + " sin-cos ones recomputed (default: the weights' own).")
  private Integer imageSize;

  @Option(
      names = "--heads",
      paramLabel = "N",
      description =
          "Attention heads (not in the weights; default: a Hugging Face config.json beside the"
              + " file, else the published ViTs' for their widths).")
  private Integer heads;

  @Option(
      names = "--layer-norm-eps",
      paramLabel = "EPS",
      description =
          "LayerNorm epsilon (not in the weights; default: 1e-6 for timm, mae, ijepa, 1e-12 or"
              + " config.json's for hf).")
  private Double layerNormEps;

  @Option(
      names = "--strict",
      arity = "1",
      defaultValue = "true",
      paramLabel = "BOOL",
      description =
          "false: skip tensors no part of the scheme explains and keep a fresh initialization"
              + " for missing ones, listing both (default: ${DEFAULT-VALUE}).")
  private boolean strict;

  @Option(
      names = "--context-encoder",
      description = "ijepa: the context encoder instead of the target encoder.")
  private boolean contextEncoder;

  @Option(
      names = "--num-classes",
      paramLabel = "N",
      description = "Classes of the fresh head when the weights have none (default: 10).")
  private Integer numClasses;

  @Option(
      names = "--input-mean",
      split = ",",
      paramLabel = "M1,M2,M3",
      description =
          "With --input-std: the per-channel normalization the weights were trained with, folded"
              + " into the patch embedding so the model takes pixels in [0, 1] (ImageNet's, for"
              + " timm, MAE and I-JEPA: 0.485,0.456,0.406; default: none).")
  private float[] inputMean;

  @Option(
      names = "--input-std",
      split = ",",
      paramLabel = "S1,S2,S3",
      description = "With --input-mean (ImageNet's: 0.229,0.224,0.225).")
  private float[] inputStd;

  @Option(
      names = "--model",
      paramLabel = "KIND",
      defaultValue = "vit",
      description =
          "vit: the encoder (and a head) as a ViT checkpoint; mae: a whole MAE (mae or hf"
              + " ViTMAEForPreTraining weights: encoder and decoder) as an mae checkpoint; ijepa: a"
              + " whole I-JEPA (context encoder, predictor, target encoder as the EMA) as an ijepa"
              + " checkpoint. An mae or ijepa checkpoint written as FOLDER/checkpoint.zip is"
              + " continued by train mae|ijepa --out FOLDER --resume (default: ${DEFAULT-VALUE}).")
  private String model;

  @Option(
      names = "--decoder-heads",
      paramLabel = "N",
      description =
          "--model mae: the decoder's attention heads (not in the weights; default: a Hugging"
              + " Face config.json's, else the published MAEs' 16).")
  private Integer decoderHeads;

  @Option(
      names = "--masking-ratio",
      paramLabel = "R",
      description =
          "--model mae: the share of patches masked when training continues (not in the weights;"
              + " default: a Hugging Face config.json's, else MAE's 0.75).")
  private Double maskingRatio;

  @Option(
      names = "--norm-pix-loss",
      arity = "1",
      paramLabel = "BOOL",
      description =
          "--model mae: per-patch normalized pixel targets when training continues (not in the"
              + " weights; facebookresearch/mae's released models were pre-trained with true;"
              + " default: a Hugging Face config.json's, else false).")
  private Boolean normPixLoss;

  @Option(
      names = "--predictor-heads",
      paramLabel = "N",
      description =
          "--model ijepa: the predictor's attention heads (not in the weights; default: the"
              + " encoder's, as ijepa's init_model).")
  private Integer predictorHeads;

  @Option(
      names = "--overwrite",
      description = "Replace an existing --out file (without it, one is refused).")
  private boolean overwrite;

  @Spec private CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    try {
      return importWeights();
    } catch (WeightMappingException e) {
      if (!strict || (e.missing().isEmpty() && e.unexpected().isEmpty())) throw e;
      // The library names the tensors; the command line adds its own way past them.
      WeightMappingException cli =
          new WeightMappingException(
              e.getMessage() + " (--strict false skips missing and unexpected tensors)",
              e.missing(),
              e.unexpected(),
              e.misshapen());
      cli.initCause(e);
      throw cli;
    }
  }

  private int importWeights() throws IOException {
    if (Files.exists(out) && !overwrite) {
      throw new IllegalArgumentException(out + " exists: give --overwrite to replace it");
    }
    WeightMapping.Options options =
        WeightMapping.Options.defaults().withStrict(strict).withContextEncoder(contextEncoder);
    if (heads != null) options = options.withHeads(heads);
    if (imageSize != null) options = options.withImageSize(imageSize);
    if (layerNormEps != null) options = options.withLayerNormEps(layerNormEps);
    if (numClasses != null) options = options.withNumClasses(numClasses);
    if (inputMean != null || inputStd != null) {
      options = options.withInputNormalization(inputMean, inputStd);
    }
    Source source = Source.parse(from);
    PrintWriter log = spec.commandLine().getOut();
    String kind = model.trim().toLowerCase(Locale.ROOT);
    refuseOtherModelsOptions(kind);
    if (contextEncoder && !(source == Source.IJEPA && kind.equals("vit"))) {
      throw new IllegalArgumentException(
          "--context-encoder picks the encoder of an ijepa checkpoint imported as a vit (--from"
              + " ijepa, --model vit), not of --from "
              + source
              + " --model "
              + kind);
    }
    if (!kind.equals("vit")) return wholeModel(kind, source, options, log);
    Pretrained.Import imported = Pretrained.read(weights, source, options);
    report(imported.report(), source, "not the encoder's: ", log);
    createParent();
    imported.model().save(out);
    log.printf(
        Locale.ROOT,
        "wrote %s (a vit checkpoint, %s)%n",
        out,
        PrintedConfig.of(dev.vitmae.graph.train.Tasks.of(imported.model().checkpoint())));
    return 0;
  }

  /** The options of another {@code --model} are refused, not silently ignored. */
  private void refuseOtherModelsOptions(String kind) {
    if (!kind.equals("mae")
        && (decoderHeads != null || maskingRatio != null || normPixLoss != null)) {
      throw new IllegalArgumentException(
          "--decoder-heads, --masking-ratio and --norm-pix-loss are --model mae's, not --model "
              + kind
              + "'s");
    }
    if (!kind.equals("ijepa") && predictorHeads != null) {
      throw new IllegalArgumentException(
          "--predictor-heads is --model ijepa's, not --model " + kind + "'s");
    }
    if (!kind.equals("vit") && numClasses != null) {
      throw new IllegalArgumentException(
          "--num-classes is --model vit's (a classifier's head), not --model " + kind + "'s");
    }
  }

  /** {@code --model mae|ijepa}: the whole pre-training model as a checkpoint to continue. */
  private int wholeModel(String kind, Source source, WeightMapping.Options options, PrintWriter log)
      throws IOException {
    Pretrained.Import imported =
        switch (kind) {
          case "mae" ->
              Pretrained.readMae(
                  weights,
                  source,
                  options,
                  decoderHeads,
                  config -> {
                    // Training settings, not weights: the checkpoint's config only.
                    if (maskingRatio != null) config.maskingRatio(maskingRatio);
                    if (normPixLoss != null) config.normPixelLoss(normPixLoss);
                    return config;
                  });
          case "ijepa" -> {
            if (source != Source.IJEPA) {
              throw new IllegalArgumentException(
                  "--model ijepa reads facebookresearch/ijepa checkpoints (--from ijepa), not "
                      + source);
            }
            yield Pretrained.readIjepa(weights, options, predictorHeads);
          }
          default ->
              throw new IllegalArgumentException(
                  "--model is vit, mae or ijepa, not '" + kind + "'");
        };
    WeightMapping.Imported report = imported.report();
    Checkpoint checkpoint = imported.model().checkpoint();
    if (kind.equals("ijepa")) {
      log.printf(
          Locale.ROOT,
          "  target encoder (the EMA): %d tensors mapped%n",
          report.used().stream().filter(n -> n.startsWith("target_encoder.")).count());
    }
    report(report, source, "not used: ", log);
    createParent();
    checkpoint.write(out);
    log.printf(
        Locale.ROOT,
        "wrote %s (an %s checkpoint, %s)%n",
        out,
        checkpoint.kind(),
        PrintedConfig.of(dev.vitmae.graph.train.Tasks.of(checkpoint)));
    return 0;
  }

  /** What the mapping did: tensors mapped, notes, parts not used, skipped and missing tensors. */
  private void report(
      WeightMapping.Imported report, Source source, String notUsed, PrintWriter log) {
    log.printf(
        Locale.ROOT,
        "%s as %s weights: %d tensors mapped%n",
        weights,
        source,
        report.used().size());
    report.notes().forEach(n -> log.println("  " + n));
    report.notUsed().forEach(n -> log.println("  " + notUsed + n));
    if (!report.skipped().isEmpty()) {
      log.println("  skipped (--strict false): " + String.join(", ", report.skipped()));
    }
    if (!report.missing().isEmpty()) {
      log.println(
          "  missing, left at a fresh initialization (--strict false): "
              + String.join(", ", report.missing()));
    }
  }

  private void createParent() throws IOException {
    Path parent = out.toAbsolutePath().getParent();
    if (parent != null) Files.createDirectories(parent);
  }
}
