package dev.vitmae.cli;

import dev.vitmae.api.Training;
import dev.vitmae.datasets.DatasetKind;
import dev.vitmae.datasets.DatasetSplits;
import dev.vitmae.datasets.ImageSource;
import dev.vitmae.datasets.masks.MultiBlockConfig;
import dev.vitmae.graph.config.ClassToken;
import dev.vitmae.graph.config.IjepaConfig;
import dev.vitmae.graph.config.MaeConfig;
import dev.vitmae.graph.config.PatchEmbedding;
import dev.vitmae.graph.config.Pooling;
import dev.vitmae.graph.config.PosEmbedding;
import dev.vitmae.graph.config.TrainConfig;
import dev.vitmae.graph.config.ViTConfig;
import dev.vitmae.graph.train.Checkpoint;
import dev.vitmae.graph.train.HealthMonitor;
import dev.vitmae.graph.train.MemoryPolicy;
import dev.vitmae.graph.train.Tasks;
import dev.vitmae.graph.train.Trainer;
import dev.vitmae.graph.train.TrainingDivergedException;
import dev.vitmae.images.Augmentation;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * {@code vitmae train vit|mae|ijepa}: trains with progress, per-epoch evaluation, metrics CSV and
 * checkpoints in {@code --out}; {@code --resume} continues the checkpoint there. Every default is
 * the config records' reference value (TrainCommandDefaultsTest checks it).
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description =
        "Train a ViT classifier, an MAE or I-JEPA; writes checkpoint.zip, metrics.csv, steps.csv and pictures to --out.")
final class TrainCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "MODEL", description = "vit, mae or ijepa.")
  private String kind;

  @Mixin private DatasetOptions dataset;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Run directory.")
  private Path out;

  @Option(
      names = "--resume",
      description =
          "Continue the checkpoint in --out (its model and optimizer settings; --epochs may raise the total).")
  private boolean resume;

  @Option(
      names = "--overwrite",
      description =
          "Start afresh in an --out that holds a run: its checkpoint.zip, metrics.csv, steps.csv"
              + " and pictures are deleted first (without it such an --out is refused).")
  private boolean overwrite;

  @Option(
      names = "--init-encoder",
      paramLabel = "CHECKPOINT",
      description =
          "Start the encoder from a trained checkpoint's encoder/ weights (any kind: ViT, MAE or I-JEPA;"
              + " for I-JEPA its EMA target encoder, as ijepa evaluates).")
  private Path initEncoder;

  @Option(
      names = "--init-context-encoder",
      description =
          "With an I-JEPA --init-encoder: take its context encoder instead of the target encoder.")
  private boolean initContextEncoder;

  @Option(
      names = "--layer-decay",
      paramLabel = "D",
      defaultValue = "1",
      description =
          "Layer-wise lr decay for fine-tuning: block i of depth L learns at lr*D^(L-i), the patch"
              + " embedding at lr*D^(L+1), the head at lr (MAE's recipe; default ${DEFAULT-VALUE}: off).")
  private double layerDecay;

  @Option(
      names = "--freeze-encoder",
      description = "Train only what is not encoder/ (a linear or MLP head).")
  private boolean freezeEncoder;

  @Option(
      names = "--labels",
      paramLabel = "N",
      description =
          "Train on a seeded, class-stratified subset of N labelled training images (the rest unused).")
  private Integer labels;

  @Option(
      names = "--labels-seed",
      paramLabel = "SEED",
      defaultValue = "0",
      description = "Seed of the --labels subset (default: ${DEFAULT-VALUE}).")
  private long labelsSeed;

  @Option(
      names = "--epochs",
      paramLabel = "N",
      description = "Total epochs (default: " + TrainConfig.DEFAULT_EPOCHS + ").")
  private Integer epochs;

  @Option(
      names = "--max-epochs",
      paramLabel = "N",
      defaultValue = "" + Integer.MAX_VALUE,
      description = "Stop after this many epochs in this invocation (resume later).")
  private int maxEpochs;

  @Option(
      names = "--limit-train",
      paramLabel = "N",
      description = "Use only the first N training images.")
  private Integer limitTrain;

  @Option(
      names = "--limit-test",
      paramLabel = "N",
      description = "Evaluate on the first N test images only.")
  private Integer limitTest;

  @Option(
      names = "--eval-every",
      paramLabel = "N",
      description =
          "Evaluate on the test split every N epochs and after the last one (default: 1); the"
              + " epochs between record NaN. For small --labels subsets.")
  private int evalEvery = 1;

  @Option(
      names = "--health",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Each epoch, on 512 seeded training images: the encoder's embedding std and effective rank"
              + " (collapse monitors; a WARN line below --collapse-std) and an MAE's visible/masked-patch"
              + " errors, in metrics.csv and loss.png (default: on; --no-health skips them).")
  private boolean health;

  @Option(
      names = "--collapse-std",
      paramLabel = "STD",
      defaultValue = "" + HealthMonitor.COLLAPSE_STD,
      description =
          "With --health: WARN when the encoder's embedding std falls below STD (default:"
              + " ${DEFAULT-VALUE}; 0 never warns).")
  private double collapseStd;

  @Option(
      names = "--augment",
      description =
          "Random resized crop (scale --augment-scale to 1, ratio 3/4-4/3) + horizontal flip of"
              + " each training image per epoch, seeded by (seed, epoch, image), as MAE pre-trains;"
              + " any dataset (a folder crops its files, the others their stored pixels).")
  private boolean augment;

  @Option(
      names = "--augment-scale",
      paramLabel = "MIN",
      defaultValue = "0.2",
      description =
          "With --augment: the smallest crop, as a fraction of the image's area (default:"
              + " ${DEFAULT-VALUE}, MAE's pre-training).")
  private double augmentScale;

  @Option(
      names = "--loader-threads",
      paramLabel = "N",
      defaultValue = "2",
      description =
          "folder: threads decoding batches ahead of training (default: ${DEFAULT-VALUE}).")
  private int loaderThreads;

  @Mixin Optim optim;

  @Mixin ModelFlags model;

  @Mixin EngineOptions engineOptions;

  @Option(
      names = "--preset",
      paramLabel = "NAME",
      defaultValue = "reference",
      description =
          "reference (the seed's design); small, for 28x28 and 32x32 images: 4x4-pixel patches,"
              + " encoder dim 128 x depth 4 (4 heads of 32, MLP 256), MAE decoder 128 x depth 2;"
              + " photo, for 64x64 RGB photographs (a folder is read at 64x64 RGB unless told):"
              + " 8x8-pixel patches embedded linearly (no LayerNorm of the raw patch: it would drop a"
              + " flat patch's colour), encoder dim 192 x depth 6 (3 heads of 64, MLP 768), MAE decoder"
              + " 128 x depth 2 (MLP 512). Both mask 75%%. Options given explicitly win (default:"
              + " ${DEFAULT-VALUE}).")
  private String preset;

  private boolean isPhotoPreset() {
    return preset.trim().equalsIgnoreCase("photo");
  }

  @Spec private CommandSpec spec;

  /** Optimizer and schedule options; defaults are {@link TrainConfig#reference()}. */
  static final class Optim {
    private static final TrainConfig REF = TrainConfig.reference();

    @Option(
        names = "--batch-size",
        paramLabel = "N",
        description = "Images per optimizer step (default: ${DEFAULT-VALUE}).")
    int batchSize = REF.batchSize();

    @Option(
        names = "--micro-batch",
        paramLabel = "N",
        description =
            "Gradient-accumulation chunk, 0 = the whole batch: the same update in less memory"
                + " (default: ${DEFAULT-VALUE}).")
    int microBatch = REF.microBatchSize();

    @Option(
        names = "--lr",
        paramLabel = "LR",
        description = "Peak learning rate (AdamW) (default: ${DEFAULT-VALUE}).")
    double lr = REF.lr();

    @Option(
        names = "--beta1",
        paramLabel = "B1",
        description = "AdamW's first-moment decay (default: ${DEFAULT-VALUE}).")
    double beta1 = REF.beta1();

    @Option(
        names = "--beta2",
        paramLabel = "B2",
        description = "AdamW's second-moment decay (default: ${DEFAULT-VALUE}).")
    double beta2 = REF.beta2();

    @Option(
        names = "--weight-decay",
        paramLabel = "WD",
        description = "AdamW's decoupled weight decay (default: ${DEFAULT-VALUE}).")
    double weightDecay = REF.weightDecay();

    @Option(
        names = "--warmup-steps",
        paramLabel = "N",
        description = "Steps of linear lr warm-up from 0 (default: ${DEFAULT-VALUE}).")
    int warmupSteps = REF.warmupSteps();

    @Option(
        names = "--cosine",
        description = "Cosine decay to --min-lr after warm-up (default: constant lr).")
    boolean cosine = REF.cosine();

    @Option(
        names = "--min-lr",
        paramLabel = "LR",
        description = "The lr that --cosine decays to (default: ${DEFAULT-VALUE}).")
    double minLr = REF.minLr();

    @Option(
        names = "--train-seed",
        paramLabel = "SEED",
        description = "Seeds weight init, batch order and masks (default: ${DEFAULT-VALUE}).")
    long seed = REF.seed();

    @Option(
        names = "--label-smoothing",
        paramLabel = "EPS",
        description =
            "A ViT's targets become (1 - EPS)·one-hot + EPS/classes (MAE's fine-tuning uses 0.1;"
                + " default: ${DEFAULT-VALUE}, plain cross-entropy).")
    double labelSmoothing = REF.labelSmoothing();

    @Option(
        names = "--drop-path",
        paramLabel = "RATE",
        description =
            "Stochastic depth of a ViT's encoder: block i of depth drops each residual branch of"
                + " an example with probability RATE·i/(depth - 1) while training (MAE's"
                + " fine-tuning uses 0.1; default: ${DEFAULT-VALUE}, none).")
    double dropPath = REF.dropPath();

    TrainConfig config(int epochs) {
      return REF.toBuilder()
          .epochs(epochs)
          .batchSize(batchSize)
          .lr(lr)
          .beta1(beta1)
          .beta2(beta2)
          .weightDecay(weightDecay)
          .warmupSteps(warmupSteps)
          .cosine(cosine)
          .minLr(minLr)
          .microBatchSize(microBatch)
          .seed(seed)
          .labelSmoothing(labelSmoothing)
          .dropPath(dropPath)
          .build();
    }
  }

  /**
   * Model options (ignored with --resume: the checkpoint's config is used); defaults are the
   * references of {@link ViTConfig}, {@link MaeConfig} and {@link IjepaConfig}.
   */
  static final class ModelFlags {
    private static final ViTConfig VIT = ViTConfig.reference();
    private static final MaeConfig MAE = MaeConfig.reference();
    private static final IjepaConfig IJEPA = IjepaConfig.reference();

    @Option(
        names = "--patch-size",
        paramLabel = "PX",
        description =
            "Patch side in pixels (default: 7 for 28x28 images, the reference; else the image side / 4).")
    Integer patchSize;

    @Option(
        names = "--dim",
        paramLabel = "D",
        description = "Encoder width (default: ${DEFAULT-VALUE}).")
    int dim = VIT.dim();

    @Option(
        names = "--depth",
        paramLabel = "N",
        description = "Encoder blocks (default: ${DEFAULT-VALUE}).")
    int depth = VIT.depth();

    @Option(
        names = "--heads",
        paramLabel = "N",
        description = "Encoder attention heads (default: ${DEFAULT-VALUE}).")
    int heads = VIT.heads();

    @Option(
        names = "--dim-head",
        paramLabel = "D",
        description = "Width of each encoder attention head (default: ${DEFAULT-VALUE}).")
    int dimHead = VIT.dimHead();

    @Option(
        names = "--mlp-dim",
        paramLabel = "D",
        description = "Hidden width of the encoder blocks' MLP (default: ${DEFAULT-VALUE}).")
    int mlpDim = VIT.mlpDim();

    @Option(
        names = "--mlp-ratio",
        paramLabel = "R",
        description =
            "Encoder MLP width as a multiple of --dim (timm's mlp_ratio; overrides --mlp-dim).")
    Double mlpRatio;

    @Option(
        names = "--pool",
        paramLabel = "POOL",
        description =
            "How a ViT classifier pools the tokens: cls, mean, or mean_fc_norm (timm's"
                + " global_pool='avg': no final norm, the mean goes through fc_norm) (default:"
                + " ${DEFAULT-VALUE}).")
    Pooling pool = VIT.pool();

    @Option(
        names = "--pos",
        paramLabel = "POS",
        description =
            "Position embedding: learned or sincos (fixed, not trained) (default:"
                + " ${DEFAULT-VALUE}).")
    PosEmbedding pos = VIT.posEmbedding();

    @Option(
        names = "--patch-embedding",
        paramLabel = "KIND",
        description =
            "normed_linear (vit-pytorch: LayerNorm, Linear, LayerNorm) or linear (timm, MAE,"
                + " I-JEPA: the Conv2d as one Linear) (default: ${DEFAULT-VALUE}).")
    PatchEmbedding patchEmbedding = VIT.patchEmbedding();

    @Option(
        names = "--qkv-bias",
        negatable = true,
        description =
            "A bias on the attention's qkv projection (timm, MAE, I-JEPA) (default: off).")
    boolean qkvBias = VIT.qkvBias();

    @Option(
        names = "--layer-norm-eps",
        paramLabel = "EPS",
        description =
            "Epsilon of the encoder's LayerNorms (1e-6 timm/MAE/I-JEPA, 1e-12 Hugging Face)"
                + " (default: ${DEFAULT-VALUE}).")
    double layerNormEps = VIT.layerNormEps();

    @Option(
        names = "--class-token",
        paramLabel = "KIND",
        description =
            "none, unpositioned (vit-pytorch) or positioned (timm, MAE: row 0 of the position"
                + " table) (default: unpositioned with --pool cls, else none).")
    ClassToken classToken;

    @Option(
        names = "--masking-ratio",
        paramLabel = "R",
        description = "MAE: share of patches masked (default: ${DEFAULT-VALUE}).")
    double maskingRatio = MAE.maskingRatio();

    @Option(
        names = "--decoder-dim",
        paramLabel = "D",
        description = "MAE decoder width (default: ${DEFAULT-VALUE}).")
    int decoderDim = MAE.decoderDim();

    @Option(
        names = "--decoder-depth",
        paramLabel = "N",
        description = "MAE decoder blocks (default: ${DEFAULT-VALUE}).")
    int decoderDepth = MAE.decoderDepth();

    @Option(
        names = "--decoder-heads",
        paramLabel = "N",
        description = "MAE decoder attention heads (default: ${DEFAULT-VALUE}).")
    int decoderHeads = MAE.decoderHeads();

    @Option(
        names = "--decoder-dim-head",
        paramLabel = "D",
        description = "Width of each MAE decoder attention head (default: ${DEFAULT-VALUE}).")
    int decoderDimHead = MAE.decoderDimHead();

    @Option(
        names = "--decoder-mlp-dim",
        paramLabel = "D",
        description = "Hidden width of the MAE decoder blocks' MLP (default: ${DEFAULT-VALUE}).")
    int decoderMlpDim = MAE.decoderMlpDim();

    @Option(
        names = "--decoder-pos",
        paramLabel = "POS",
        description =
            "MAE decoder positions: learned (vit-pytorch) or sincos (facebookresearch/mae: fixed;"
                + " with --class-token positioned the class token is encoded and decoded in a row"
                + " of its own) (default: ${DEFAULT-VALUE}).")
    PosEmbedding decoderPos = MAE.decoderPosEmbedding();

    @Option(
        names = "--norm-pix-loss",
        description = "MAE: per-patch normalized pixel targets (default: raw pixels).")
    boolean normPixLoss = MAE.normPixelLoss();

    @Option(
        names = "--predictor-dim",
        paramLabel = "D",
        description = "I-JEPA predictor width (default: ${DEFAULT-VALUE}).")
    int predictorDim = IJEPA.predictorDim();

    @Option(
        names = "--predictor-depth",
        paramLabel = "N",
        description = "I-JEPA predictor blocks (default: ${DEFAULT-VALUE}).")
    int predictorDepth = IJEPA.predictorDepth();

    @Option(
        names = "--predictor-heads",
        paramLabel = "N",
        description = "I-JEPA predictor attention heads (default: ${DEFAULT-VALUE}).")
    int predictorHeads = IJEPA.predictorHeads();

    @Option(
        names = "--predictor-dim-head",
        paramLabel = "D",
        description = "Width of each I-JEPA predictor attention head (default: ${DEFAULT-VALUE}).")
    int predictorDimHead = IJEPA.predictorDimHead();

    @Option(
        names = "--predictor-mlp-dim",
        paramLabel = "D",
        description =
            "Hidden width of the I-JEPA predictor blocks' MLP (default: ${DEFAULT-VALUE}).")
    int predictorMlpDim = IJEPA.predictorMlpDim();

    @Option(
        names = "--predictor-pos",
        paramLabel = "POS",
        description =
            "I-JEPA predictor positions: learned or sincos (ijepa's, fixed) (default: the"
                + " encoder's --pos).")
    PosEmbedding predictorPos;

    @Option(
        names = "--target-blocks",
        paramLabel = "N",
        description = "I-JEPA target blocks per image (default: ${DEFAULT-VALUE}).")
    int targetBlocks = IJEPA.masks().nPred();

    @Option(
        names = "--ema",
        split = ",",
        paramLabel = "START,END",
        description =
            "I-JEPA target-encoder momentum, linear from START to END over training (default:"
                + " ${DEFAULT-VALUE}).")
    double[] ema = {IJEPA.emaStart(), IJEPA.emaEnd()};

    /** {@code --patch-size}, else the reference's grid of {@code 4 × 4} patches (7 for 28). */
    int patchSize(int imageSize) {
      if (patchSize != null) return patchSize;
      int grid = VIT.gridSize();
      if (imageSize % grid != 0) {
        throw new IllegalArgumentException(
            "images of "
                + imageSize
                + " pixels do not split into a "
                + grid
                + "x"
                + grid
                + " grid: give --patch-size");
      }
      return imageSize / grid;
    }

    ViTConfig vit(int imageSize, int channels, int numClasses) {
      return VIT.toBuilder()
          .imageSize(imageSize)
          .patchSize(patchSize(imageSize))
          .channels(channels)
          .dim(dim)
          .depth(depth)
          .heads(heads)
          .dimHead(dimHead)
          .mlpDim(mlpRatio == null ? mlpDim : (int) Math.round(mlpRatio * dim))
          .numClasses(numClasses)
          .pool(pool)
          .posEmbedding(pos)
          .patchEmbedding(patchEmbedding)
          .qkvBias(qkvBias)
          .layerNormEps(layerNormEps)
          .classToken(classToken)
          .build();
    }

    MaeConfig mae(int imageSize, int channels) {
      return MAE.toBuilder()
          .encoder(vit(imageSize, channels, VIT.numClasses()))
          .maskingRatio(maskingRatio)
          .decoderDim(decoderDim)
          .decoderDepth(decoderDepth)
          .decoderHeads(decoderHeads)
          .decoderDimHead(decoderDimHead)
          .decoderMlpDim(decoderMlpDim)
          .normPixelLoss(normPixLoss)
          .decoderPosEmbedding(decoderPos)
          .build();
    }

    IjepaConfig ijepa(int imageSize, int channels) {
      if (ema.length != 2)
        throw new IllegalArgumentException("--ema takes START,END, got " + ema.length + " values");
      ViTConfig encoder = vit(imageSize, channels, VIT.numClasses());
      return IJEPA.toBuilder()
          .encoder(encoder)
          .predictorDim(predictorDim)
          .predictorDepth(predictorDepth)
          .predictorHeads(predictorHeads)
          .predictorDimHead(predictorDimHead)
          .predictorMlpDim(predictorMlpDim)
          .masks(
              MultiBlockConfig.defaultsFor(encoder.gridSize(), encoder.gridSize())
                  .withNPred(targetBlocks))
          .emaStart(ema[0])
          .emaEnd(ema[1])
          .predictorPosEmbedding(predictorPos)
          .build();
    }

    /**
     * Takes the encoder architecture of an {@code --init-encoder} checkpoint for every option the
     * user did not give: sizes, positions and the variant (patch embedding, qkv bias, epsilon), for
     * a ViT or an MAE its class token (an MAE carries a positioned one through encoder and decoder,
     * as facebookresearch/mae; I-JEPA has none: {@link Training#initEncoder} drops it), for a ViT a
     * ViT checkpoint's pooling. Image size and channels stay the data's.
     */
    void adopt(
        ViTConfig from,
        boolean fromVit,
        boolean toVit,
        boolean toMae,
        picocli.CommandLine.ParseResult given) {
      if (!given.hasMatchedOption("--patch-size")) patchSize = from.patchSize();
      if (!given.hasMatchedOption("--dim")) dim = from.dim();
      if (!given.hasMatchedOption("--depth")) depth = from.depth();
      if (!given.hasMatchedOption("--heads")) heads = from.heads();
      if (!given.hasMatchedOption("--dim-head")) dimHead = from.dimHead();
      if (!given.hasMatchedOption("--mlp-dim") && !given.hasMatchedOption("--mlp-ratio")) {
        mlpDim = from.mlpDim();
      }
      if (!given.hasMatchedOption("--pos")) pos = from.posEmbedding();
      if (!given.hasMatchedOption("--patch-embedding")) patchEmbedding = from.patchEmbedding();
      if (!given.hasMatchedOption("--qkv-bias")) qkvBias = from.qkvBias();
      if (!given.hasMatchedOption("--layer-norm-eps")) layerNormEps = from.layerNormEps();
      if (fromVit && toVit && !given.hasMatchedOption("--pool")) pool = from.pool();
      // The class token only where it is not the pooling's default (the reference's rule).
      ClassToken poolDefault =
          from.pool() == Pooling.CLS ? ClassToken.UNPOSITIONED : ClassToken.NONE;
      boolean derived = from.classToken() == poolDefault;
      if ((toVit || toMae) && !given.hasMatchedOption("--class-token") && !derived) {
        classToken = from.classToken();
      }
    }

    /**
     * Sets the preset's values ({@link MaeConfig#small()} or {@link MaeConfig#photo()}, and its
     * encoder) of the options the user did not give.
     */
    void applyPreset(String name, picocli.CommandLine.ParseResult given) {
      if (name.trim().equalsIgnoreCase("reference")) return;
      MaeConfig preset = MaeConfig.preset(name);
      ViTConfig encoder = preset.encoder();
      if (!given.hasMatchedOption("--patch-size")) patchSize = encoder.patchSize();
      if (!given.hasMatchedOption("--patch-embedding")) patchEmbedding = encoder.patchEmbedding();
      if (!given.hasMatchedOption("--dim")) dim = encoder.dim();
      if (!given.hasMatchedOption("--depth")) depth = encoder.depth();
      if (!given.hasMatchedOption("--heads")) heads = encoder.heads();
      if (!given.hasMatchedOption("--dim-head")) dimHead = encoder.dimHead();
      if (!given.hasMatchedOption("--mlp-dim")) mlpDim = encoder.mlpDim();
      if (!given.hasMatchedOption("--decoder-dim")) decoderDim = preset.decoderDim();
      if (!given.hasMatchedOption("--decoder-depth")) decoderDepth = preset.decoderDepth();
      if (!given.hasMatchedOption("--decoder-heads")) decoderHeads = preset.decoderHeads();
      if (!given.hasMatchedOption("--decoder-dim-head")) decoderDimHead = preset.decoderDimHead();
      if (!given.hasMatchedOption("--decoder-mlp-dim")) decoderMlpDim = preset.decoderMlpDim();
      if (!given.hasMatchedOption("--masking-ratio")) maskingRatio = preset.maskingRatio();
    }

    /** A fresh training of model {@code kind} for the images of {@code train}. */
    Training training(String kind, ImageSource train) {
      int size = train.imageSize();
      int channels = train.channels();
      return switch (kind) {
        case Tasks.VIT -> Training.of(vit(size, channels, train.numClasses()));
        case Tasks.MAE -> Training.of(mae(size, channels));
        case Tasks.IJEPA -> Training.of(ijepa(size, channels));
        default ->
            throw new IllegalArgumentException(
                "unknown model '" + kind + "': use vit, mae or ijepa");
      };
    }
  }

  @Override
  public Integer call() throws IOException {
    PrintWriter log = spec.commandLine().getOut();
    if (resume && (initEncoder != null || initContextEncoder)) {
      throw new IllegalArgumentException(
          "--init-encoder starts a fresh run's encoder, --resume continues the checkpoint's own"
              + " weights: give one of them");
    }
    RunDirectory.prepare(out, resume, overwrite);
    String wanted = kind.trim().toLowerCase(Locale.ROOT);
    if (evalEvery < 1) {
      throw new IllegalArgumentException("--eval-every must be at least 1, got " + evalEvery);
    }
    model.applyPreset(preset, given());
    if (!resume && dataset.kind() == DatasetKind.FOLDER && isPhotoPreset()) {
      // The photo preset is for 64x64 RGB images: a folder is read at that size unless told.
      ViTConfig photo = ViTConfig.photo();
      if (dataset.imageSize == null) dataset.imageSize = photo.imageSize();
      if (dataset.channels == null) dataset.channels = photo.channels();
    }
    if (augment) {
      dataset.augmentation = Augmentation.mae().withMinScale(augmentScale);
    } else if (given().hasMatchedOption("--augment-scale")) {
      throw new IllegalArgumentException("--augment-scale applies with --augment");
    }
    DatasetSplits loaded = dataset.load();
    DatasetOptions.reportBadImages(loaded, log);
    ImageSource train = limitTrain == null ? loaded.train() : loaded.train().head(limitTrain);
    ImageSource test =
        loaded.test().map(t -> limitTest == null ? t : t.head(limitTest)).orElse(null);
    Path checkpointFile = out.resolve(Trainer.CHECKPOINT);
    Training training = resume ? resumed(checkpointFile, wanted) : fresh(wanted, train);
    if (layerDecay != 1 || freezeEncoder) training.fineTune(layerDecay, freezeEncoder);
    if (labels != null) training.labels(labels, labelsSeed);
    if (dataset.kind() == DatasetKind.FOLDER && loaderThreads > 0) {
      training.prefetch(loaderThreads, 4);
    }
    if (health) training.health(collapseStd);
    if (test != null) training.evaluateOn(test, evalEvery);
    // The command line owns its process: a collection per micro-batch keeps RSS bounded
    // (MemoryPolicy).
    training
        .engine(engineOptions.engine(), engineOptions.ortOptions())
        .memoryPolicy(MemoryPolicy.COLLECT_EACH_MICRO_BATCH)
        .maxEpochs(maxEpochs)
        .runDirectory(out)
        .listeners(new ProgressBar(spec.commandLine().getErr(), log));
    List<Path> written = new ArrayList<>();
    try (Training.Run run = training.start(train)) {
      Trainer trainer = run.trainer();
      report(run, checkpointFile, test, log);
      try {
        run.fit();
        log.printf(Locale.ROOT, "trained on: %s%n", trainer.engineDescription());
      } catch (TrainingDivergedException e) {
        throw new TrainingDivergedException(e, checkpointFile);
      }
      Pictures.writePng(
          LossCurve.draw(out.resolve(Trainer.STEPS), out.resolve(Trainer.METRICS)),
          out.resolve(RunDirectory.LOSS_PNG));
      written.addAll(
          List.of(
              checkpointFile,
              out.resolve(Trainer.METRICS),
              out.resolve(Trainer.STEPS),
              out.resolve(RunDirectory.LOSS_PNG)));
      if (training.kind().equals(Tasks.MAE) && test != null) {
        Reconstructions.write(trainer, test, 8, 7, out.resolve(RunDirectory.RECONSTRUCTION_PNG));
        written.add(out.resolve(RunDirectory.RECONSTRUCTION_PNG));
      }
    }
    log.printf(
        Locale.ROOT,
        "wrote %s%n",
        String.join(", ", written.stream().map(Path::toString).toList()));
    return 0;
  }

  /** The run of {@code checkpointFile}, which must hold a {@code wanted} model. */
  private Training resumed(Path checkpointFile, String wanted) throws IOException {
    Training training = Training.resume(checkpointFile);
    if (!training.kind().equalsIgnoreCase(wanted)) {
      throw new IllegalArgumentException(
          checkpointFile + " holds a " + training.kind() + ", not a " + wanted);
    }
    if (epochs != null) training.epochs(epochs);
    return training;
  }

  /** A fresh run of the options' model and settings, its encoder from --init-encoder if given. */
  private Training fresh(String wanted, ImageSource train) throws IOException {
    if (wanted.equals(Tasks.VIT) && !train.hasLabels()) {
      throw new IllegalArgumentException(
          "vit trains on labelled images; " + train.name() + " has none");
    }
    Checkpoint source = initEncoder == null ? null : Checkpoint.read(initEncoder);
    if (source != null) {
      model.adopt(
          Training.encoderOf(source),
          source.kind().equalsIgnoreCase(Tasks.VIT),
          wanted.equals(Tasks.VIT),
          wanted.equals(Tasks.MAE),
          given());
    }
    Training training =
        model
            .training(wanted, train)
            .config(optim.config(epochs == null ? TrainConfig.DEFAULT_EPOCHS : epochs));
    if (source != null) {
      training.initEncoder(
          source,
          initContextEncoder ? Training.IjepaEncoder.CONTEXT : Training.IjepaEncoder.TARGET,
          initEncoder.toString());
    }
    return training;
  }

  private ParseResult given() {
    return spec.commandLine().getParseResult();
  }

  /** Prints what the run starts from: resumed progress, encoder source, fine-tuning, data. */
  private void report(Training.Run run, Path checkpointFile, ImageSource test, PrintWriter log) {
    Trainer trainer = run.trainer();
    if (resume) {
      log.printf(
          Locale.ROOT,
          "resuming %s after epoch %d (step %d)%n",
          checkpointFile,
          trainer.epochsDone(),
          trainer.step());
    }
    run.encoderNotes().forEach(log::println);
    if (!run.initializedEncoder().isEmpty()) {
      log.printf(
          Locale.ROOT,
          "encoder initialized from %s (%s%d tensors)%n",
          initEncoder,
          run.encoderIsIjepaTarget() ? "I-JEPA target encoder, " : "",
          run.initializedEncoder().size());
    }
    Training.FineTuning tuning = run.fineTuning();
    if (tuning.isOn()) {
      log.printf(
          Locale.ROOT,
          "fine-tuning: layer decay %s%s%n",
          tuning.layerDecay(),
          tuning.freezeEncoder() ? ", encoder frozen" : "");
    }
    log.printf(
        Locale.ROOT,
        "%s on %s: %d train / %s test images, %s%n",
        trainer.task().kind(),
        run.train().name(),
        run.train().count(),
        test == null ? "no" : Integer.toString(test.count()),
        PrintedConfig.of(trainer.task()));
    log.printf(Locale.ROOT, "training engine: %s%n", engineOptions.engine().id());
    log.flush();
  }
}
