package dev.vitmae.graph.pretrained;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitmae.graph.config.ClassToken;
import dev.vitmae.graph.config.IjepaConfig;
import dev.vitmae.graph.config.MaeConfig;
import dev.vitmae.graph.config.Pooling;
import dev.vitmae.graph.config.PosEmbedding;
import dev.vitmae.graph.config.ViTConfig;
import dev.vitmae.graph.model.Mae;
import dev.vitmae.graph.model.VitEncoder;
import dev.vitmae.graph.nn.Positions;
import dev.vitmae.graph.train.Checkpoint;
import dev.vitmae.weights.StateDict;
import dev.vitmae.weights.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A published ViT encoder's state dict onto vitmae's encoder graph: the architecture is read from
 * the tensors' shapes (dim, channels and patch size from the patch embedding's Conv2d, depth from
 * the block indices, MLP width, class token and its position row, image size from the position
 * table, qkv bias, {@code fc_norm}), every tensor is accounted for, and the values are laid out as
 * vitmae's parameters ({@code encoder/...}, {@code head/...}).
 *
 * <p>What the weights cannot tell is stated: the number of heads ({@link Options#heads}, a Hugging
 * Face {@code config.json} beside the file, or the published ViTs' rule for their widths: 192 → 3,
 * 384 → 6, 768 → 12, 1024, 1280 and 1408 → 16) and the LayerNorm epsilon ({@link
 * Source#layerNormEps()} unless given).
 *
 * <p>A tensor the encoder needs that is missing, one of the wrong shape, or one that no part of the
 * scheme explains is an error naming every such tensor ({@link WeightMappingException}); with
 * {@code strict} false, unexplained tensors are skipped and missing ones keep a fresh
 * initialization, and {@link Imported} lists both. Tensors of the scheme that are not the encoder's
 * (an MAE decoder, an I-JEPA predictor, a pooler, optimizer state) are listed as not used.
 */
public final class WeightMapping {
  private static final Pattern TIMM_BLOCK = Pattern.compile("^blocks\\.(\\d+)\\.");
  private static final Pattern HF_BLOCK = Pattern.compile("^encoder\\.layer\\.(\\d+)\\.");

  /** The max |Δ| under which a position table is the fixed 2-D sin-cos table. */
  static final double SINCOS_TOLERANCE = 1e-5;

  private WeightMapping() {}

  /**
   * What the weights do not say, and how strictly to read them.
   *
   * @param heads attention heads, or null to infer them (see {@link WeightMapping})
   * @param imageSize the image side to use the encoder at, or null for the weights' own; another
   *     size resamples a learned position table ({@link PositionTables}) and recomputes a sin-cos
   *     one
   * @param strict whether a tensor no part of the scheme explains, or a missing one, is an error
   * @param antialias the resampling's antialias (timm's default: true)
   * @param layerNormEps the epsilon, or null for {@link Source#layerNormEps()}
   * @param contextEncoder for I-JEPA: the context {@code encoder} instead of the {@code
   *     target_encoder}
   * @param numClasses the classifier head's outputs when the weights have no head, or null for 10;
   *     a head in the weights decides
   * @param inputMean with {@code inputStd}, the per-channel normalization the weights were trained
   *     with (ImageNet's {@link #IMAGENET_MEAN}, {@link #IMAGENET_STD} for timm, MAE and I-JEPA),
   *     folded into the patch embedding so that the model takes vitmae's pixels in [0, 1]; null for
   *     none (the weights then see [0, 1] pixels as they are)
   */
  public record Options(
      Integer heads,
      Integer imageSize,
      boolean strict,
      boolean antialias,
      Double layerNormEps,
      boolean contextEncoder,
      Integer numClasses,
      float[] inputMean,
      float[] inputStd) {
    /** ImageNet's channel means, the normalization of timm's, MAE's and I-JEPA's models. */
    public static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};

    /** ImageNet's channel standard deviations. */
    public static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};

    public Options {
      if ((inputMean == null) != (inputStd == null)) {
        throw new IllegalArgumentException("give both the input mean and std, or neither");
      }
      if (inputMean != null) {
        if (inputMean.length != inputStd.length) {
          throw new IllegalArgumentException(
              "input mean has " + inputMean.length + " channels, std " + inputStd.length);
        }
        for (float v : inputStd) {
          if (!(v > 0)) throw new IllegalArgumentException("input std must be > 0, got " + v);
        }
        inputMean = inputMean.clone();
        inputStd = inputStd.clone();
      }
    }

    /** Inferred heads and size, strict, antialiased, the scheme's epsilon, the target encoder. */
    public static Options defaults() {
      return new Options(null, null, true, true, null, false, null, null, null);
    }

    /** The weights expect {@code (x − mean) / std} per channel of pixels {@code x} in [0, 1]. */
    public Options withInputNormalization(float[] mean, float[] std) {
      return with(
          f -> {
            f.inputMean = mean;
            f.inputStd = std;
          });
    }

    public Options withHeads(int value) {
      return with(f -> f.heads = value);
    }

    public Options withImageSize(int value) {
      return with(f -> f.imageSize = value);
    }

    public Options withStrict(boolean value) {
      return with(f -> f.strict = value);
    }

    public Options withAntialias(boolean value) {
      return with(f -> f.antialias = value);
    }

    public Options withLayerNormEps(double value) {
      return with(f -> f.layerNormEps = value);
    }

    public Options withContextEncoder(boolean value) {
      return with(f -> f.contextEncoder = value);
    }

    public Options withNumClasses(int value) {
      return with(f -> f.numClasses = value);
    }

    /** These options with {@code change} applied: the withers' one copy of every field. */
    private Options with(java.util.function.Consumer<Fields> change) {
      Fields f = new Fields(this);
      change.accept(f);
      return new Options(
          f.heads,
          f.imageSize,
          f.strict,
          f.antialias,
          f.layerNormEps,
          f.contextEncoder,
          f.numClasses,
          f.inputMean,
          f.inputStd);
    }

    private static final class Fields {
      Integer heads;
      Integer imageSize;
      boolean strict;
      boolean antialias;
      Double layerNormEps;
      boolean contextEncoder;
      Integer numClasses;
      float[] inputMean;
      float[] inputStd;

      Fields(Options o) {
        heads = o.heads;
        imageSize = o.imageSize;
        strict = o.strict;
        antialias = o.antialias;
        layerNormEps = o.layerNormEps;
        contextEncoder = o.contextEncoder;
        numClasses = o.numClasses;
        inputMean = o.inputMean;
        inputStd = o.inputStd;
      }
    }
  }

  /**
   * The mapped encoder.
   *
   * @param config the architecture read from the weights (a ViT classifier's config)
   * @param params vitmae's parameters by name, {@code encoder/...} and, when the weights have a
   *     classification head, {@code head/W} and {@code head/b}
   * @param used the source tensors mapped
   * @param skipped source tensors no part of the scheme explains (only when not strict)
   * @param missing source tensors the encoder needs that were absent, left at a fresh
   *     initialization (only when not strict)
   * @param notUsed the scheme's tensors that are not the encoder's, by part
   * @param notes what was assumed or changed: heads, epsilon, positions, resampling
   */
  public record Imported(
      ViTConfig config,
      Map<String, Checkpoint.Tensor> params,
      List<String> used,
      List<String> skipped,
      List<String> missing,
      List<String> notUsed,
      List<String> notes) {}

  /**
   * Maps {@code weights} read as {@code source}.
   *
   * @throws WeightMappingException naming every missing, misshapen or unexpected tensor, or what
   *     cannot be inferred
   * @throws IOException if a tensor cannot be read
   */
  public static Imported map(StateDict weights, Source source, Options options) throws IOException {
    return new Reading(weights, source, options).map();
  }

  /** An MAE: the encoder (as {@link #map}) and the decoder, in {@code imported}'s params. */
  public record ImportedMae(MaeConfig config, Imported imported) {}

  /** An I-JEPA: the context encoder (as {@link #map}) and the predictor, in {@code imported}. */
  public record ImportedIjepa(IjepaConfig config, Imported imported) {}

  /**
   * Maps facebookresearch/mae's {@code MaskedAutoencoderViT} ({@link Source#MAE}) or Hugging Face's
   * {@code ViTMAEForPreTraining} ({@link Source#HF}) whole: the encoder as {@link #map} does, and
   * the decoder onto {@code mae/...} ({@code decoder_embed} → {@code mae/enc_to_dec}, {@code
   * mask_token}, {@code decoder_pos_embed} → fixed sin-cos or {@code mae/decoder_pos}, {@code
   * decoder_blocks.N} / {@code decoder.decoder_layers.N} → {@code mae/decoder/blockN}, {@code
   * decoder_norm}, {@code decoder_pred} → {@code mae/to_pixels}).
   *
   * @param decoderHeads the decoder's heads, or null for a {@code config.json}'s or the published
   *     MAEs' 16
   */
  public static ImportedMae mapMae(
      StateDict weights, Source source, Options options, Integer decoderHeads) throws IOException {
    if (source != Source.MAE && source != Source.HF) {
      throw new IllegalArgumentException(
          "an MAE decoder is read from mae or hf weights, not " + source);
    }
    Reading r = new Reading(weights, source, options);
    r.part = Part.MAE_DECODER;
    r.partHeads = decoderHeads;
    Imported imported = r.map();
    return new ImportedMae(r.mae, imported);
  }

  /**
   * Maps a facebookresearch/ijepa checkpoint's context {@code encoder} (as {@link #map} with {@link
   * Options#contextEncoder}) and its {@code predictor} onto {@code predictor/...} ({@code
   * predictor_embed} → {@code predictor/embed}, {@code mask_token}, {@code predictor_pos_embed} →
   * fixed sin-cos or {@code predictor/pos}, {@code predictor_blocks.N} → {@code predictor/blockN},
   * {@code predictor_norm} → {@code predictor/norm}, {@code predictor_proj} → {@code
   * predictor/proj}). The {@code target_encoder} is read by {@link #map} (the default options).
   *
   * @param predictorHeads the predictor's heads, or null for the encoder's (ijepa's {@code
   *     init_model})
   */
  public static ImportedIjepa mapIjepa(StateDict weights, Options options, Integer predictorHeads)
      throws IOException {
    Reading r = new Reading(weights, Source.IJEPA, options.withContextEncoder(true));
    r.part = Part.IJEPA_PREDICTOR;
    r.partHeads = predictorHeads;
    Imported imported = r.map();
    return new ImportedIjepa(r.ijepa, imported);
  }

  /** What a mapping reads besides the encoder. */
  private enum Part {
    ENCODER,
    MAE_DECODER,
    IJEPA_PREDICTOR
  }

  /** A block tensor's name: {@code role} is one of ln1, ln2, qkv, q, k, v, proj, fc1, fc2. */
  private interface BlockName {
    String of(String prefix, int i, String role, String param);
  }

  /**
   * The source's names of each part of the encoder.
   *
   * @param patch the patch embedding's Conv2d ({@code .weight}, {@code .bias} appended)
   * @param blocks the prefix of the numbered blocks, matched by {@code block}
   * @param norm the final LayerNorm, {@code fcNorm} timm's pooled one, {@code head} the classifier
   * @param separateQkv whether q, k and v are three Linear layers (Hugging Face) or one
   * @param notTheEncoders which part of the scheme a known tensor that is not the encoder's is, or
   *     null
   */
  private record Scheme(
      String patch,
      String cls,
      String pos,
      String blocks,
      Pattern block,
      BlockName blockName,
      String norm,
      String fcNorm,
      String head,
      boolean separateQkv,
      java.util.function.UnaryOperator<String> notTheEncoders) {
    String patchWeight() {
      return patch + ".weight";
    }

    String patchBias() {
      return patch + ".bias";
    }

    String block(int i, String role, String param) {
      return blockName.of(blocks, i, role, param);
    }

    String norm(String param) {
      return norm + "." + param;
    }

    String fcNorm(String param) {
      return fcNorm + "." + param;
    }

    String head(String param) {
      return head + "." + param;
    }

    String notTheEncoders(String name) {
      return notTheEncoders.apply(name);
    }
  }

  private static final Scheme TIMM_NAMES =
      new Scheme(
          "patch_embed.proj",
          "cls_token",
          "pos_embed",
          "blocks.",
          TIMM_BLOCK,
          WeightMapping::timmBlock,
          "norm",
          "fc_norm",
          "head",
          false,
          name ->
              name.equals("mask_token") || name.startsWith("decoder_") ? "the MAE decoder" : null);

  private static final Scheme HF_NAMES =
      new Scheme(
          "embeddings.patch_embeddings.projection",
          "embeddings.cls_token",
          "embeddings.position_embeddings",
          "encoder.layer.",
          HF_BLOCK,
          WeightMapping::hfBlock,
          "layernorm",
          "fc_norm",
          "classifier",
          true,
          name -> {
            if (name.startsWith("pooler."))
              return "the pooler (dense + tanh), not vitmae's encoder";
            if (name.startsWith("decoder.")) return "the ViTMAE decoder";
            if (name.equals("embeddings.mask_token")) return "the masked-image-modeling mask token";
            return null;
          });

  /** timm's {@code Block} (also MAE's and I-JEPA's) number {@code i} under {@code prefix}. */
  private static String timmBlock(String prefix, int i, String role, String param) {
    String module =
        switch (role) {
          case "ln1" -> "norm1";
          case "ln2" -> "norm2";
          case "qkv" -> "attn.qkv";
          case "proj" -> "attn.proj";
          case "fc1" -> "mlp.fc1";
          case "fc2" -> "mlp.fc2";
          default -> throw new IllegalArgumentException(role);
        };
    return prefix + i + "." + module + "." + param;
  }

  /** Hugging Face's {@code ViTLayer} (also ViTMAE's) number {@code i} under {@code prefix}. */
  private static String hfBlock(String prefix, int i, String role, String param) {
    String module =
        switch (role) {
          case "ln1" -> "layernorm_before";
          case "ln2" -> "layernorm_after";
          case "q" -> "attention.attention.query";
          case "k" -> "attention.attention.key";
          case "v" -> "attention.attention.value";
          case "proj" -> "attention.output.dense";
          case "fc1" -> "intermediate.dense";
          case "fc2" -> "output.dense";
          default -> throw new IllegalArgumentException(role);
        };
    return prefix + i + "." + module + "." + param;
  }

  /** One mapping run: the selected tensors, what was consumed, the problems found. */
  private static final class Reading {
    private final StateDict all;
    private final Source source;
    private final Options options;
    private final Scheme names;
    private StateDict dict;
    private final Set<String> consumed = new LinkedHashSet<>();
    private final List<String> missing = new ArrayList<>();
    private final List<String> misshapen = new ArrayList<>();
    private final List<String> notUsed = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final Map<String, Checkpoint.Tensor> params = new LinkedHashMap<>();

    /** Where the epsilon and the heads came from, for the notes. */
    private String epsWhy = "";

    private String headsWhy = "";

    /** Which part besides the encoder is read ({@link #mapMae}, {@link #mapIjepa}). */
    private Part part = Part.ENCODER;

    /** The heads of that part, or null for the scheme's rule. */
    private Integer partHeads;

    /** Prefixed to the names reported while a second state dict is read (I-JEPA's predictor). */
    private String qualifier = "";

    private final List<String> partUnexpected = new ArrayList<>();
    private MaeConfig mae;
    private IjepaConfig ijepa;

    Reading(StateDict all, Source source, Options options) {
      this.all = all;
      this.source = source;
      this.options = options;
      this.names = source == Source.HF ? HF_NAMES : TIMM_NAMES;
    }

    Imported map() throws IOException {
      select();
      Tensor patch = dict.contains(names.patchWeight()) ? dict.tensor(names.patchWeight()) : null;
      if (patch == null || patch.shape().length != 4 || patch.shape()[2] != patch.shape()[3]) {
        throw new WeightMappingException(
            all.source()
                + ": no "
                + source
                + " patch embedding '"
                + names.patchWeight()
                + "' of shape [dim, channels, patch, patch]"
                + (patch == null ? "" : " (it is " + Arrays.toString(patch.shape()) + ")")
                + "; the tensors are under "
                + all.topLevelNames());
      }
      int dim = Math.toIntExact(patch.shape()[0]);
      int channels = Math.toIntExact(patch.shape()[1]);
      int p = Math.toIntExact(patch.shape()[2]);
      int depth = depth();
      int heads = heads(dim);
      if (dim % heads != 0) {
        throw new WeightMappingException(
            all.source() + ": dim " + dim + " does not split into " + heads + " heads");
      }
      if (heads == 1) {
        throw new WeightMappingException(
            all.source()
                + ": one head as wide as dim is vit-pytorch's attention without an out"
                + " projection in vitmae; a published ViT with one head is not mapped");
      }
      String fc1 = names.block(0, "fc1", "weight");
      int mlpDim =
          dict.contains(fc1) && dict.tensor(fc1).shape().length == 2
              ? Math.toIntExact(dict.tensor(fc1).shape()[0])
              : 4 * dim;
      boolean hasCls = dict.contains(names.cls());
      boolean qkvBias =
          dict.contains(
              names.separateQkv() ? names.block(0, "q", "bias") : names.block(0, "qkv", "bias"));
      boolean fcNorm = dict.contains(names.fcNorm("weight"));

      // The position table: [1, (1 +) grid², dim]; its rows tell the grid and the class row.
      Tensor posT = dict.contains(names.pos()) ? dict.tensor(names.pos()) : null;
      if (posT == null) {
        throw new WeightMappingException(
            all.source() + ": no position table '" + names.pos() + "'");
      }
      long[] ps = posT.shape();
      if (ps.length != 3 || ps[0] != 1 || ps[2] != dim) {
        throw new WeightMappingException(
            all.source()
                + ": '"
                + names.pos()
                + "' has shape "
                + Arrays.toString(ps)
                + ", expected [1, tokens, "
                + dim
                + "]");
      }
      int rows = Math.toIntExact(ps[1]);
      ClassToken classToken;
      int grid;
      if (hasCls && isSquare(rows - 1)) {
        classToken = ClassToken.POSITIONED;
        grid = sqrt(rows - 1);
      } else if (isSquare(rows)) {
        // timm's no_embed_class (DeiT III): the class token has no row of its own.
        classToken = hasCls ? ClassToken.UNPOSITIONED : ClassToken.NONE;
        grid = sqrt(rows);
      } else {
        throw new WeightMappingException(
            all.source()
                + ": '"
                + names.pos()
                + "' has "
                + rows
                + " rows, not a square grid"
                + (hasCls ? " (plus a class row)" : ""));
      }
      int prefix = classToken == ClassToken.POSITIONED ? 1 : 0;
      float[] table = posT.toFloatArray();
      consumed.add(names.pos());
      boolean sincos = isSinCos(table, grid, dim, prefix == 1);
      int imageSize = options.imageSize() == null ? grid * p : options.imageSize();
      if (imageSize % p != 0) {
        throw new WeightMappingException(
            "image size " + imageSize + " is not a whole number of patches of " + p);
      }
      int newGrid = imageSize / p;
      Pooling pool =
          fcNorm
              ? Pooling.MEAN_FC_NORM
              : (source == Source.MAE || source == Source.IJEPA || !hasCls)
                  ? Pooling.MEAN
                  : Pooling.CLS;
      double eps = options.layerNormEps() != null ? options.layerNormEps() : hfEps();
      String headW = names.head("weight");
      Integer headClasses =
          dict.contains(headW) && dict.tensor(headW).shape().length == 2
              ? Math.toIntExact(dict.tensor(headW).shape()[0])
              : null;
      int numClasses =
          headClasses != null
              ? headClasses
              : options.numClasses() != null ? options.numClasses() : 10;

      ViTConfig config =
          ViTConfig.timm(imageSize, p, dim, depth, heads).toBuilder()
              .channels(channels)
              .mlpDim(mlpDim)
              .numClasses(numClasses)
              .qkvBias(qkvBias)
              .layerNormEps(eps)
              .classToken(classToken)
              .pool(pool)
              .posEmbedding(sincos ? PosEmbedding.SINCOS : PosEmbedding.LEARNED)
              .build();

      notes.add(
          "architecture: %dx%d px (%dx%d patches of %d), %d channels, dim %d, depth %d, %d heads, MLP %d, qkv bias %s, class token %s, pooling %s"
              .formatted(
                  grid * p,
                  grid * p,
                  grid,
                  grid,
                  p,
                  channels,
                  dim,
                  depth,
                  heads,
                  mlpDim,
                  qkvBias ? "on" : "off",
                  classToken.name().toLowerCase(Locale.ROOT),
                  pool.name().toLowerCase(Locale.ROOT)));
      notes.add(
          "layer-norm epsilon %s (%s)"
              .formatted(
                  eps, options.layerNormEps() != null ? "given" : "not in the weights: " + epsWhy));
      notes.add("heads: " + headsWhy);

      // Positions: fixed sin-cos tables are recomputed by the graph for its grid.
      if (sincos) {
        notes.add(
            "'"
                + names.pos()
                + "' is the fixed 2-D sin-cos table: declared fixed (not trained)"
                + (newGrid != grid ? ", recomputed for " + newGrid + "x" + newGrid : ""));
      } else {
        float[] resampled =
            PositionTables.resample(table, prefix, grid, newGrid, dim, options.antialias());
        if (newGrid != grid) {
          notes.add(
              "'%s' resampled from %dx%d to %dx%d (bicubic, antialias %s, as timm)"
                  .formatted(
                      names.pos(),
                      grid,
                      grid,
                      newGrid,
                      newGrid,
                      options.antialias() ? "on" : "off"));
        }
        params.put(
            VitEncoder.POSITIONS,
            new Checkpoint.Tensor(new long[] {prefix + (long) newGrid * newGrid, dim}, resampled));
      }

      // Patch embedding: the Conv2d's [dim, C, p, p] as a Linear on vitmae's (p1 p2 c) patches.
      Tensor pw = take(names.patchWeight(), dim, channels, p, p);
      if (pw != null) {
        params.put("encoder/patch_embed/proj/W", conv(pw.toFloatArray(), dim, channels, p));
      }
      vector(names.patchBias(), "encoder/patch_embed/proj/b", dim);
      if (options.inputMean() != null) foldInputNormalization(channels, dim);
      if (hasCls) {
        Tensor cls = take(names.cls(), 1, 1, dim);
        if (cls != null) {
          params.put(
              "encoder/cls", new Checkpoint.Tensor(new long[] {1, 1, dim}, cls.toFloatArray()));
        }
      }
      for (int i = 0; i < depth; i++) block(i, dim, mlpDim, qkvBias);
      String norm = fcNorm ? "encoder/fc_norm" : "encoder/transformer/norm";
      if (fcNorm) {
        layerNorm(i -> names.fcNorm(i), norm, dim);
      } else {
        layerNorm(i -> names.norm(i), norm, dim);
      }
      if (headClasses != null) {
        linear(names.head("weight"), names.head("bias"), "head", dim, numClasses);
        notes.add("classification head: " + numClasses + " classes, from the weights");
      } else {
        notes.add(
            "classification head: none in the weights; a fresh head of " + numClasses + " classes");
      }

      if (part == Part.MAE_DECODER) mae = maeDecoder(config, grid, newGrid);
      if (part == Part.IJEPA_PREDICTOR) ijepa = ijepaPredictor(config, grid, newGrid);

      // Every other tensor: a part of the scheme that is not the encoder's, or unexplained.
      Map<String, Integer> parts = new TreeMap<>();
      List<String> unexpected = new ArrayList<>(partUnexpected);
      for (String name : dict.names()) {
        if (consumed.contains(name)) continue;
        // Mapping a whole MAE, a tensor left over is unexplained, not "the decoder's".
        String part = this.part == Part.ENCODER ? names.notTheEncoders(name) : null;
        if (part != null) parts.merge(part, 1, Integer::sum);
        else unexpected.add(name);
      }
      parts.forEach((part, count) -> notUsed.add(part + ": " + count + " tensors"));
      report(unexpected);
      return new Imported(
          config,
          Map.copyOf(params),
          List.copyOf(consumed),
          options.strict() ? List.of() : List.copyOf(unexpected),
          options.strict() ? List.of() : List.copyOf(missing),
          List.copyOf(notUsed),
          List.copyOf(notes));
    }

    /**
     * {@code W((x − m) / s) + b = (W / s) x + (b − W (m / s))}: row {@code (i, j, c)} of {@code W}
     * divided by {@code s_c}, the bias less every row's {@code m_c / s_c} share.
     */
    private void foldInputNormalization(int channels, int dim) {
      float[] mean = options.inputMean();
      float[] std = options.inputStd();
      if (mean.length != channels) {
        throw new WeightMappingException(
            "the input normalization has " + mean.length + " channels, the weights " + channels);
      }
      Checkpoint.Tensor w = params.get("encoder/patch_embed/proj/W");
      Checkpoint.Tensor b = params.get("encoder/patch_embed/proj/b");
      if (w == null || b == null) return; // missing: reported
      float[] wd = w.data().clone();
      double[] bias = new double[dim];
      for (int d = 0; d < dim; d++) bias[d] = b.data()[d];
      for (int row = 0; row < wd.length / dim; row++) {
        int c = row % channels;
        for (int d = 0; d < dim; d++) {
          bias[d] -= (double) wd[row * dim + d] * mean[c] / std[c];
          wd[row * dim + d] /= std[c];
        }
      }
      float[] bd = new float[dim];
      for (int d = 0; d < dim; d++) bd[d] = (float) bias[d];
      params.put("encoder/patch_embed/proj/W", new Checkpoint.Tensor(w.shape(), wd));
      params.put("encoder/patch_embed/proj/b", new Checkpoint.Tensor(b.shape(), bd));
      notes.add(
          "input normalization (x - %s) / %s folded into the patch embedding: the model takes pixels in [0, 1]"
              .formatted(Arrays.toString(mean), Arrays.toString(std)));
    }

    /**
     * facebookresearch/mae's decoder ({@code decoder_embed}, {@code mask_token}, {@code
     * decoder_pos_embed}, {@code decoder_blocks.N}, {@code decoder_norm}, {@code decoder_pred}) or
     * Hugging Face ViTMAE's (the same under {@code decoder.}, blocks {@code decoder_layers.N}) onto
     * {@code mae/...}; masking ratio 0.75 and raw-pixel loss unless a {@code config.json} says.
     */
    private MaeConfig maeDecoder(ViTConfig encoder, int grid, int newGrid) throws IOException {
      boolean hf = source == Source.HF;
      String at = hf ? "decoder." : "";
      PartNames from =
          new PartNames(
              at + "decoder_embed",
              at + "mask_token",
              at + "decoder_pos_embed",
              hf ? "decoder.decoder_layers." : "decoder_blocks.",
              hf,
              at + "decoder_norm",
              at + "decoder_pred");
      PartNames to =
          new PartNames(
              "mae/enc_to_dec",
              "mae/mask_token",
              Mae.DECODER_POSITIONS,
              "mae/decoder",
              false,
              "mae/decoder/norm",
              "mae/to_pixels");
      boolean classRow = encoder.classToken() == ClassToken.POSITIONED;
      Stack d =
          stack("the MAE decoder", from, to, encoder, encoder.patchDim(), classRow, grid, newGrid);
      if (options.inputMean() != null) unfoldOutputNormalization(encoder.channels(), d.width);
      JsonNode hfConfig = hfConfig();
      double ratio = 0.75;
      boolean normPix = false;
      if (hfConfig != null && hfConfig.has("mask_ratio"))
        ratio = hfConfig.get("mask_ratio").doubleValue();
      if (hfConfig != null && hfConfig.has("norm_pix_loss")) {
        normPix = hfConfig.get("norm_pix_loss").booleanValue();
      }
      notes.add(
          "MAE decoder: dim %d, depth %d, %d heads (%s), MLP %d, %s positions%s; masking ratio %s and norm_pix_loss %s (%s)"
              .formatted(
                  d.width,
                  d.depth,
                  d.heads,
                  d.headsWhy,
                  d.mlp,
                  d.positions.name().toLowerCase(Locale.ROOT),
                  classRow ? " with a class row" : "",
                  ratio,
                  normPix,
                  hfConfig != null
                      ? "config.json where it says"
                      : "not in the weights: MAE's defaults; set them to continue pre-training as it was"));
      return new MaeConfig(
          encoder,
          ratio,
          d.width,
          d.depth,
          d.heads,
          d.width / d.heads,
          d.mlp,
          normPix,
          d.positions);
    }

    /**
     * facebookresearch/ijepa's {@code predictor} ({@code predictor_embed}, {@code mask_token},
     * {@code predictor_pos_embed}, {@code predictor_blocks.N}, {@code predictor_norm}, {@code
     * predictor_proj}, under DistributedDataParallel's {@code module.}) onto {@code predictor/...};
     * heads as the encoder's (ijepa's {@code init_model}) unless given.
     */
    private IjepaConfig ijepaPredictor(ViTConfig encoder, int grid, int newGrid)
        throws IOException {
      if (!hasPrefix(all, "predictor.")) {
        throw new WeightMappingException(
            all.source()
                + ": no I-JEPA 'predictor' in the checkpoint (it holds "
                + all.topLevelNames()
                + ")");
      }
      StateDict encoderDict = dict;
      dict = all.select("predictor.").stripPrefix("module.");
      qualifier = "predictor.";
      notUsed.removeIf(line -> line.startsWith("'predictor'"));
      PartNames from =
          new PartNames(
              "predictor_embed",
              "mask_token",
              "predictor_pos_embed",
              "predictor_blocks.",
              false,
              "predictor_norm",
              "predictor_proj");
      PartNames to =
          new PartNames(
              "predictor/embed",
              "predictor/mask_token",
              "predictor/pos",
              "predictor",
              false,
              "predictor/norm",
              "predictor/proj");
      if (partHeads == null) partHeads = encoder.heads();
      Stack d =
          stack("the I-JEPA predictor", from, to, encoder, encoder.dim(), false, grid, newGrid);
      for (String name : dict.names()) {
        if (!consumed.contains(qualifier + name)) partUnexpected.add(qualifier + name);
      }
      dict = encoderDict;
      qualifier = "";
      notes.add(
          "I-JEPA predictor: dim %d, depth %d, %d heads (%s), MLP %d, %s positions"
              .formatted(
                  d.width,
                  d.depth,
                  d.heads,
                  d.headsWhy.equals("given") ? "given" : "the encoder's, as ijepa's init_model",
                  d.mlp,
                  d.positions.name().toLowerCase(Locale.ROOT)));
      IjepaConfig r = IjepaConfig.of(encoder);
      return new IjepaConfig(
          encoder,
          d.width,
          d.depth,
          d.heads,
          d.width / d.heads,
          d.mlp,
          r.masks(),
          r.emaStart(),
          r.emaEnd(),
          d.positions);
    }

    /**
     * With the input normalization folded into the encoder ({@link #foldInputNormalization}), the
     * decoder's {@code decoder_pred} still predicts normalized pixels {@code (x − m_c) / s_c}; its
     * column of channel {@code c} (MAE's {@code (p, q, c)} order) times {@code s_c}, its bias times
     * {@code s_c} plus {@code m_c}, predicts the [0, 1] pixels vitmae's loss and reconstruction
     * compare with. (With {@code norm_pix_loss} the per-patch target differs from MAE's, which
     * normalized the patches of normalized images.)
     */
    private void unfoldOutputNormalization(int channels, int width) {
      float[] mean = options.inputMean();
      float[] std = options.inputStd();
      Checkpoint.Tensor w = params.get("mae/to_pixels/W");
      Checkpoint.Tensor b = params.get("mae/to_pixels/b");
      if (w == null || b == null) return; // missing: reported
      int out = b.data().length;
      float[] wd = w.data().clone();
      float[] bd = b.data().clone();
      for (int k = 0; k < out; k++) {
        int c = k % channels;
        for (int r = 0; r < width; r++) wd[r * out + k] *= std[c];
        bd[k] = (float) ((double) bd[k] * std[c] + mean[c]);
      }
      params.put("mae/to_pixels/W", new Checkpoint.Tensor(w.shape(), wd));
      params.put("mae/to_pixels/b", new Checkpoint.Tensor(b.shape(), bd));
      notes.add(
          "the MAE decoder's pixel predictions mapped back through the input normalization: it"
              + " predicts pixels in [0, 1]");
    }

    /** A decoder's or predictor's sizes, as read. */
    private record Stack(
        int width, int depth, int heads, String headsWhy, int mlp, PosEmbedding positions) {}

    /**
     * A Transformer stack after the encoder ({@code from}'s names to {@code to}'s): a Linear from
     * the encoder's dim in, the mask token, a position table (fixed sin-cos or learned and then
     * resampled to {@code newGrid}), pre-norm blocks with the encoder's qkv bias, a final norm, a
     * Linear to {@code outDim}.
     */
    private Stack stack(
        String what,
        PartNames from,
        PartNames to,
        ViTConfig encoder,
        int outDim,
        boolean classRow,
        int grid,
        int newGrid)
        throws IOException {
      String embedW = from.embed() + ".weight";
      if (!dict.contains(embedW) || dict.tensor(embedW).shape().length != 2) {
        throw new WeightMappingException(
            all.source()
                + ": no "
                + what
                + " '"
                + qualifier
                + embedW
                + "' of shape [width, "
                + encoder.dim()
                + "]");
      }
      int width = Math.toIntExact(dict.tensor(embedW).shape()[0]);
      Pattern blocks = Pattern.compile("^" + Pattern.quote(from.blocks()) + "(\\d+)\\.");
      int depth = 0;
      for (String name : dict.names()) {
        Matcher m = blocks.matcher(name);
        if (m.find()) depth = Math.max(depth, Integer.parseInt(m.group(1)) + 1);
      }
      if (depth == 0) {
        throw new WeightMappingException(
            all.source() + ": " + what + " has no blocks '" + qualifier + from.blocks() + "N.'");
      }
      BlockNames first = (role, param) -> from.block(0, role, param);
      String fc1 = first.of("fc1", "weight");
      int mlp =
          dict.contains(fc1) && dict.tensor(fc1).shape().length == 2
              ? Math.toIntExact(dict.tensor(fc1).shape()[0])
              : 4 * width;
      boolean qkvBias =
          dict.contains(names.separateQkv() ? first.of("q", "bias") : first.of("qkv", "bias"));
      if (qkvBias != encoder.qkvBias()) {
        throw new WeightMappingException(
            all.source()
                + ": "
                + what
                + (qkvBias ? " has" : " has no")
                + " qkv bias, the encoder"
                + (encoder.qkvBias() ? " has" : " has none")
                + "; vitmae's blocks after the encoder share its qkv bias");
      }
      int heads;
      String headsWhy;
      JsonNode hfConfig = hfConfig();
      if (partHeads != null) {
        heads = partHeads;
        headsWhy =
            part == Part.IJEPA_PREDICTOR && partHeads == encoder.heads()
                ? "the encoder's"
                : "given";
      } else if (hfConfig != null && hfConfig.has("decoder_num_attention_heads")) {
        heads = hfConfig.get("decoder_num_attention_heads").intValue();
        headsWhy = "config.json";
      } else if (width % 16 == 0) {
        heads = 16;
        headsWhy = "not in the weights: the published MAEs' 16; give them if the model differs";
      } else {
        throw new WeightMappingException(
            all.source()
                + ": the heads of "
                + what
                + " (width "
                + width
                + ") are not in the weights: give them");
      }
      if (heads <= 0 || width % heads != 0) {
        throw new WeightMappingException(
            all.source()
                + ": "
                + what
                + " width "
                + width
                + " does not split into "
                + heads
                + " heads");
      }

      linear(from.embed() + ".weight", from.embed() + ".bias", to.embed(), encoder.dim(), width);
      Tensor mask = take(from.maskToken(), 1, 1, width);
      if (mask != null) {
        params.put(to.maskToken(), new Checkpoint.Tensor(new long[] {width}, mask.toFloatArray()));
      }
      int prefix = classRow ? 1 : 0;
      Tensor pos = take(from.pos(), 1, prefix + (long) grid * grid, width);
      PosEmbedding positions = PosEmbedding.LEARNED;
      if (pos != null) {
        float[] table = pos.toFloatArray();
        if (isSinCos(table, grid, width, classRow)) {
          positions = PosEmbedding.SINCOS;
          notes.add(
              "'"
                  + qualifier
                  + from.pos()
                  + "' is the fixed 2-D sin-cos table: declared fixed (not trained)"
                  + (newGrid != grid ? ", recomputed for " + newGrid + "x" + newGrid : ""));
        } else {
          params.put(
              to.pos(),
              new Checkpoint.Tensor(
                  new long[] {prefix + (long) newGrid * newGrid, width},
                  PositionTables.resample(
                      table, prefix, grid, newGrid, width, options.antialias())));
        }
      }
      for (int i = 0; i < depth; i++) {
        int block = i;
        block(
            (role, param) -> from.block(block, role, param),
            to.blocks() + "/block" + i,
            width,
            mlp,
            qkvBias);
      }
      layerNorm(param -> from.norm() + "." + param, to.norm(), width);
      linear(from.out() + ".weight", from.out() + ".bias", to.out(), width, outDim);
      return new Stack(width, depth, heads, headsWhy, mlp, positions);
    }

    /** The names of a decoder's or predictor's parts; {@code hf} for ViTLayer block names. */
    private record PartNames(
        String embed,
        String maskToken,
        String pos,
        String blocks,
        boolean hf,
        String norm,
        String out) {
      String block(int i, String role, String param) {
        return hf ? hfBlock(blocks, i, role, param) : timmBlock(blocks, i, role, param);
      }
    }

    /** Chooses the state dict inside the checkpoint and undoes {@code module.}. */
    private void select() {
      String root = "";
      if (source == Source.IJEPA) {
        root = options.contextEncoder() ? "encoder." : "target_encoder.";
        if (!hasPrefix(all, root)) {
          throw new WeightMappingException(
              all.source()
                  + ": no I-JEPA '"
                  + root.substring(0, root.length() - 1)
                  + "' in the checkpoint (it holds "
                  + all.topLevelNames()
                  + ")");
        }
      } else {
        String patch = names.patchWeight();
        if (!all.contains(patch)
            && !all.contains("module." + patch)
            && !all.contains("vit." + patch)) {
          for (String wrapper : List.of("model.", "state_dict.", "model_ema.", "state_dict_ema.")) {
            StateDict inner = all.select(wrapper).stripPrefix("module.");
            if (inner.contains(patch) || inner.contains("vit." + patch)) {
              root = wrapper;
              break;
            }
          }
        }
      }
      dict = root.isEmpty() ? all : all.select(root);
      dict = dict.stripPrefix("module.");
      if (source == Source.HF) dict = dict.stripPrefix("vit.");
      String chosen = root;
      if (!chosen.isEmpty()) {
        Map<String, Integer> others = new TreeMap<>();
        for (String name : all.names()) {
          if (!name.startsWith(chosen)) {
            String top = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
            others.merge(top, 1, Integer::sum);
          }
        }
        others.forEach(
            (top, count) ->
                notUsed.add("'" + top + "' (outside '" + chosen + "'): " + count + " tensors"));
        notes.add("read the checkpoint's '" + chosen.substring(0, chosen.length() - 1) + "'");
      }
    }

    private static boolean hasPrefix(StateDict d, String prefix) {
      return d.names().stream().anyMatch(n -> n.startsWith(prefix));
    }

    private int depth() {
      int max = -1;
      for (String name : dict.names()) {
        Matcher m = names.block().matcher(name);
        if (m.find()) max = Math.max(max, Integer.parseInt(m.group(1)));
      }
      if (max < 0) {
        throw new WeightMappingException(
            all.source() + ": no Transformer blocks (" + names.block().pattern() + ")");
      }
      return max + 1;
    }

    private int heads(int dim) throws IOException {
      if (options.heads() != null) {
        headsWhy = options.heads() + " (given)";
        return options.heads();
      }
      JsonNode hf = hfConfig();
      if (hf != null && hf.has("num_attention_heads")) {
        headsWhy = hf.get("num_attention_heads").intValue() + " (config.json)";
        return hf.get("num_attention_heads").intValue();
      }
      int heads =
          switch (dim) {
            case 192 -> 3;
            case 384 -> 6;
            case 768 -> 12;
            case 1024, 1280, 1408 -> 16;
            default -> 0;
          };
      if (heads == 0) {
        throw new WeightMappingException(
            all.source()
                + ": the number of heads is not in the weights and dim "
                + dim
                + " is none of the published ViTs' (192, 384, 768, 1024, 1280, 1408): give the heads");
      }
      headsWhy =
          heads
              + " (not in the weights: the published ViTs' for dim "
              + dim
              + "; give the heads if the model differs)";
      return heads;
    }

    private double hfEps() throws IOException {
      JsonNode hf = hfConfig();
      if (hf != null && hf.has("layer_norm_eps")) {
        epsWhy = "config.json";
        return hf.get("layer_norm_eps").doubleValue();
      }
      epsWhy = "the " + source + " models' " + source.layerNormEps();
      return source.layerNormEps();
    }

    private JsonNode hfConfig() throws IOException {
      if (source != Source.HF || all.source() == null) return null;
      Path dir = all.source().toAbsolutePath().getParent();
      Path config = dir == null ? null : dir.resolve("config.json");
      if (config == null || !Files.isRegularFile(config)) return null;
      return new ObjectMapper().readTree(config.toFile());
    }

    private void block(int i, int dim, int mlpDim, boolean qkvBias) throws IOException {
      block(
          (role, param) -> names.block(i, role, param),
          "encoder/transformer/block" + i,
          dim,
          mlpDim,
          qkvBias);
    }

    /** Names of one block's tensors by role ({@link Scheme#block}). */
    private interface BlockNames {
      String of(String role, String param);
    }

    /** One pre-norm block {@code from} to vitmae's block {@code to}. */
    private void block(BlockNames from, String to, int dim, int mlpDim, boolean qkvBias)
        throws IOException {
      layerNorm(param -> from.of("ln1", param), to + "/attn/ln", dim);
      if (names.separateQkv()) {
        float[][] w = new float[3][];
        float[][] b = new float[3][];
        String[] roles = {"q", "k", "v"};
        for (int r = 0; r < 3; r++) {
          Tensor t = take(from.of(roles[r], "weight"), dim, dim);
          w[r] = t == null ? null : t.toFloatArray();
          if (qkvBias) {
            Tensor tb = take(from.of(roles[r], "bias"), dim);
            b[r] = tb == null ? null : tb.toFloatArray();
          }
        }
        if (w[0] != null && w[1] != null && w[2] != null) {
          params.put(to + "/attn/qkv/W", transpose(concat(w), 3 * dim, dim));
        }
        if (qkvBias && b[0] != null && b[1] != null && b[2] != null) {
          params.put(to + "/attn/qkv/b", new Checkpoint.Tensor(new long[] {3 * dim}, concat(b)));
        }
      } else {
        Tensor t = take(from.of("qkv", "weight"), 3 * dim, dim);
        if (t != null) params.put(to + "/attn/qkv/W", transpose(t.toFloatArray(), 3 * dim, dim));
        if (qkvBias) vector(from.of("qkv", "bias"), to + "/attn/qkv/b", 3 * dim);
      }
      linear(from.of("proj", "weight"), from.of("proj", "bias"), to + "/attn/out", dim, dim);
      layerNorm(param -> from.of("ln2", param), to + "/ff/ln", dim);
      linear(from.of("fc1", "weight"), from.of("fc1", "bias"), to + "/ff/fc1", dim, mlpDim);
      linear(from.of("fc2", "weight"), from.of("fc2", "bias"), to + "/ff/fc2", mlpDim, dim);
    }

    private interface Name {
      String of(String param);
    }

    private void layerNorm(Name from, String to, int dim) throws IOException {
      vector(from.of("weight"), to + "/g", dim);
      vector(from.of("bias"), to + "/b", dim);
    }

    /** torch's Linear(in, out): weight [out, in] to vitmae's W [in, out], bias [out]. */
    private void linear(String weight, String bias, String to, int in, int out) throws IOException {
      Tensor w = take(weight, out, in);
      if (w != null) params.put(to + "/W", transpose(w.toFloatArray(), out, in));
      vector(bias, to + "/b", out);
    }

    private void vector(String from, String to, int length) throws IOException {
      Tensor t = take(from, length);
      if (t != null) params.put(to, new Checkpoint.Tensor(new long[] {length}, t.toFloatArray()));
    }

    /** The named tensor if it is there with that shape; else null, and the problem recorded. */
    private Tensor take(String name, long... shape) {
      if (!dict.contains(name)) {
        missing.add(qualifier + name);
        return null;
      }
      Tensor t = dict.tensor(name);
      consumed.add(qualifier + name);
      if (!Arrays.equals(t.shape(), shape)) {
        misshapen.add(
            qualifier
                + name
                + " has shape "
                + Arrays.toString(t.shape())
                + ", expected "
                + Arrays.toString(shape));
        return null;
      }
      return t;
    }

    /** Throws for misshapen tensors always, and for missing or unexplained ones when strict. */
    private void report(List<String> unexpected) {
      List<String> problems = new ArrayList<>();
      if (!misshapen.isEmpty()) problems.add("misshapen: " + String.join("; ", misshapen));
      if (options.strict() && !missing.isEmpty()) {
        problems.add("missing: " + String.join(", ", missing));
      }
      if (options.strict() && !unexpected.isEmpty()) {
        problems.add(
            "unexpected (no part of a "
                + source
                + " ViT that vitmae maps; a non-strict mapping skips them): "
                + String.join(", ", unexpected));
      }
      if (!problems.isEmpty()) {
        throw new WeightMappingException(
            all.source() + " as " + source + " weights: " + String.join(". ", problems),
            List.copyOf(missing),
            List.copyOf(unexpected),
            List.copyOf(misshapen));
      }
    }
  }

  static boolean isSinCos(float[] table, int grid, int dim, boolean classRow) {
    if (dim % 4 != 0) return false;
    double[] expected = Positions.table(grid, dim, classRow);
    if (expected.length != table.length) return false;
    for (int i = 0; i < table.length; i++) {
      if (Math.abs(expected[i] - table[i]) > SINCOS_TOLERANCE) return false;
    }
    return true;
  }

  /** Conv2d weight {@code [dim, C, p, p]} to vitmae's {@code [(p1 p2 c), dim]}. */
  static Checkpoint.Tensor conv(float[] w, int dim, int channels, int p) {
    float[] out = new float[p * p * channels * dim];
    for (int d = 0; d < dim; d++) {
      for (int c = 0; c < channels; c++) {
        for (int i = 0; i < p; i++) {
          for (int j = 0; j < p; j++) {
            out[((i * p + j) * channels + c) * dim + d] = w[((d * channels + c) * p + i) * p + j];
          }
        }
      }
    }
    return new Checkpoint.Tensor(new long[] {(long) p * p * channels, dim}, out);
  }

  /** {@code [rows, cols]} to {@code [cols, rows]}. */
  static Checkpoint.Tensor transpose(float[] a, int rows, int cols) {
    float[] out = new float[a.length];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) out[c * rows + r] = a[r * cols + c];
    }
    return new Checkpoint.Tensor(new long[] {cols, rows}, out);
  }

  private static float[] concat(float[][] parts) {
    int n = 0;
    for (float[] p : parts) n += p.length;
    float[] out = new float[n];
    int at = 0;
    for (float[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  private static boolean isSquare(int n) {
    return n > 0 && sqrt(n) * sqrt(n) == n;
  }

  private static int sqrt(int n) {
    return (int) Math.round(Math.sqrt(n));
  }
}
