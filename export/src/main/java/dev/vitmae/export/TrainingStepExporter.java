package dev.vitmae.export;

import dev.vitmae.export.onnx.OnnxProto.ModelProto;
import dev.vitmae.export.onnx.OnnxProto.ValueInfoProto;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Writes a whole training step as one ONNX graph: the forward pass and loss of a SameDiff graph,
 * SameDiff's own gradient function (every {@code *_bp} op through the {@link OnnxOp} registry or
 * the request's {@link OnnxTranslator}s), and an Adam update with decoupled weight decay that
 * computes exactly what {@code dev.vitmae.graph.train.Adam} computes, in the same order of float32
 * operations.
 *
 * <p>Inputs: the graph's placeholders (the batch), every parameter (by its SameDiff name), the Adam
 * moments of the trainable ones ({@link #firstMoment}, {@link #secondMoment}) and the per-step
 * scalars ({@link #SQRT_BIAS_CORRECTION2}, {@link #decay}, {@link #stepSize}). Outputs: {@code
 * loss}, the updated parameters ({@link #next}) and moments ({@link #nextFirstMoment}, {@link
 * #nextSecondMoment}), and with {@link Spec#gradientsOut()} every gradient ({@link #gradient}).
 */
public final class TrainingStepExporter {
  /** {@code sqrt(1 − β₂ᵗ)}, a float32 scalar input. */
  public static final String SQRT_BIAS_CORRECTION2 = "adam/sqrt_bias_correction2";

  private TrainingStepExporter() {}

  /** The input that carries a trainable parameter's first moment. */
  public static String firstMoment(String param) {
    return "adam/m/" + param;
  }

  public static String secondMoment(String param) {
    return "adam/v/" + param;
  }

  /** The output that carries a parameter's value after the step. */
  public static String next(String param) {
    return "next/" + param;
  }

  public static String nextFirstMoment(String param) {
    return "adam/m_next/" + param;
  }

  public static String nextSecondMoment(String param) {
    return "adam/v_next/" + param;
  }

  /** {@code lr · scale · weightDecay} of lr group {@code group}, a float32 scalar input. */
  public static String decay(int group) {
    return "adam/decay/" + group;
  }

  /** {@code lr · scale / (1 − β₁ᵗ)} of lr group {@code group}, a float32 scalar input. */
  public static String stepSize(int group) {
    return "adam/step_size/" + group;
  }

  /**
   * A parameter's gradient: an output of the step with {@link Spec#gradientsOut()}, an input of
   * {@link #exportUpdate}.
   */
  public static String gradient(String param) {
    return "grad/" + param;
  }

  /** The input of {@link #exportGradients} that carries the chunks' gradient sum so far. */
  public static String gradientSum(String param) {
    return "grad_sum/" + param;
  }

  /** The output of {@link #exportGradients}: the sum with this chunk's weighted gradient added. */
  public static String nextGradientSum(String param) {
    return "grad_sum_next/" + param;
  }

  /** The weight of a chunk's gradients in {@link #exportGradients}, a float32 scalar input. */
  public static final String CHUNK_WEIGHT = "grad_sum/chunk_weight";

  /**
   * What to write.
   *
   * @param loss the scalar loss variable
   * @param trainable parameters the step updates, each in lr group {@code groupOf.get(name)}
   * @param frozen parameters the step reads but never changes
   * @param weightDecay decoupled weight decay (0: plain Adam)
   * @param gradientsOut also output every gradient (for checks)
   */
  public record Spec(
      String loss,
      List<String> trainable,
      List<String> frozen,
      Map<String, Integer> groupOf,
      double beta1,
      double beta2,
      double epsilon,
      double weightDecay,
      boolean gradientsOut,
      int opset,
      List<OnnxTranslator> translators) {
    public Spec {
      trainable = List.copyOf(trainable);
      frozen = List.copyOf(frozen);
      groupOf = Map.copyOf(groupOf);
      translators = List.copyOf(translators);
      if (trainable.isEmpty()) throw new IllegalArgumentException("no trainable parameters");
      for (String p : trainable) {
        if (!groupOf.containsKey(p))
          throw new IllegalArgumentException("no lr group for parameter '" + p + "'");
      }
    }

    /** The number of lr groups (one more than the largest group index). */
    public int groups() {
      return groupOf.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
    }
  }

  /**
   * Exports the training step of {@code sd}, whose gradient function must exist ({@code
   * sd.createGradFunction()}).
   *
   * @throws UnsupportedOpException naming an op that has no translation, and the extension point
   */
  public static ModelProto export(SameDiff sd, Spec spec) {
    return export(sd, spec, true);
  }

  /**
   * Exports the training step of {@code sd} without its optimizer, for gradient accumulation over
   * micro-batches: inputs the batch (a chunk), the parameters, every trainable parameter's gradient
   * sum so far ({@link #gradientSum}) and {@link #CHUNK_WEIGHT}; outputs the chunk's loss and the
   * sums with {@code weight · gradient} added ({@link #nextGradientSum}), as the SameDiff engine's
   * micro-batches add them. {@link #exportUpdate} then applies the summed gradients.
   *
   * @throws UnsupportedOpException naming an op that has no translation, and the extension point
   */
  public static ModelProto exportGradients(SameDiff sd, Spec spec) {
    return export(sd, spec, false);
  }

  /**
   * Exports the Adam update of {@link #export} alone: inputs the trainable parameters, their
   * gradients ({@link #gradient}), moments and the per-step scalars; outputs the updated parameters
   * and moments. The same operations in the same order as the whole step's update.
   */
  public static ModelProto exportUpdate(SameDiff sd, Spec spec) {
    OnnxGraphBuilder b = new OnnxGraphBuilder();
    b.graph().setName("adam_update");
    Map<String, long[]> shapes = new java.util.HashMap<>();
    List<String> gradNames = new ArrayList<>();
    List<String> outputs = new ArrayList<>();
    for (String p : spec.trainable()) {
      long[] shape = sd.getArrForVarName(p).shape();
      shapes.put(p, shape);
      for (String input : List.of(p, gradient(p))) {
        b.unique(input);
        b.graph().addInput(OnnxExporter.valueInfo(input, shape, DataType.FLOAT));
      }
      gradNames.add(gradient(p));
      outputs.add(next(p));
      outputs.add(nextFirstMoment(p));
      outputs.add(nextSecondMoment(p));
    }
    ExportContext c = new ExportContext(b, spec.opset(), shapes, shapes, true);
    appendAdam(b, c, sd, spec, gradNames).forEach(b.graph()::addInput);
    return OnnxExporter.model(
        b, c, new ExportRequest("adam_update", outputs, spec.opset(), Map.of(), List.of()));
  }

  private static ModelProto export(SameDiff sd, Spec spec, boolean adam) {
    SameDiff grad = sd.getFunction("grad");
    if (grad == null) {
      throw new IllegalArgumentException(
          "the graph has no gradient function: call createGradFunction() first");
    }
    List<String> gradNames = new ArrayList<>();
    for (String p : spec.trainable()) {
      SDVariable g = sd.getVariable(p).getGradient();
      if (g == null) {
        throw new IllegalArgumentException("parameter '" + p + "' has no gradient in the graph");
      }
      gradNames.add(g.name());
    }
    List<String> walk = new ArrayList<>();
    walk.add(spec.loss());
    walk.addAll(gradNames);
    List<String> outputs = new ArrayList<>();
    outputs.add(spec.loss());
    if (adam) {
      for (String p : spec.trainable()) {
        outputs.add(next(p));
        outputs.add(nextFirstMoment(p));
        outputs.add(nextSecondMoment(p));
      }
    }
    if (adam && spec.gradientsOut()) for (String p : spec.trainable()) outputs.add(gradient(p));
    if (!adam) for (String p : spec.trainable()) outputs.add(nextGradientSum(p));
    Set<String> params = new LinkedHashSet<>(spec.trainable());
    params.addAll(spec.frozen());
    ExportRequest request =
        new ExportRequest("training_step", outputs, spec.opset(), Map.of(), spec.translators());
    OnnxExporter.Extension ext =
        new OnnxExporter.Extension(
            walk,
            params,
            false,
            2,
            true,
            adam
                ? (b, c) -> appendAdam(b, c, sd, spec, gradNames)
                : (b, c) -> appendGradients(b, c, sd, spec, gradNames));
    try {
      return OnnxExporter.export(grad, request, ext);
    } catch (UnsupportedOpException e) {
      throw new UnsupportedOpException(
          "the training step cannot be written as ONNX: "
              + e.getMessage()
              + ". Add an OnnxTranslator for the op to the engine's translators.");
    }
  }

  /**
   * Exports the forward pass of {@code sd} to {@code outputs} with every trainable variable as a
   * graph input instead of an initializer, so that one session serves weights that change between
   * runs (I-JEPA's EMA target encoder, a training graph's test loss). Sizes that follow the batch
   * are computed from {@code Shape} in the graph, so any batch size runs.
   *
   * @throws UnsupportedOpException naming an op that has no translation
   */
  public static ModelProto exportForward(
      SameDiff sd, List<String> outputs, int opset, List<OnnxTranslator> translators) {
    Set<String> variables = new LinkedHashSet<>();
    for (SDVariable v : sd.variables()) {
      if (v.getVariableType() == VariableType.VARIABLE) variables.add(v.name());
    }
    ExportRequest request = new ExportRequest("forward", outputs, opset, Map.of(), translators);
    return OnnxExporter.export(
        sd,
        request,
        new OnnxExporter.Extension(null, variables, true, 2, true, (b, c) -> List.of()));
  }

  /** Adam with decoupled weight decay for every trainable parameter; returns the extra inputs. */
  private static List<ValueInfoProto> appendAdam(
      OnnxGraphBuilder b, ExportContext c, SameDiff sd, Spec spec, List<String> gradNames) {
    List<ValueInfoProto> inputs = new ArrayList<>();
    String b1 = b.scalar("adam/beta1", spec.beta1());
    String oneMinusB1 = b.scalar("adam/one_minus_beta1", 1 - spec.beta1());
    String b2 = b.scalar("adam/beta2", spec.beta2());
    String oneMinusB2 = b.scalar("adam/one_minus_beta2", 1 - spec.beta2());
    String eps = b.scalar("adam/epsilon", spec.epsilon());
    inputs.add(scalarInput(b, SQRT_BIAS_CORRECTION2));
    for (int k = 0; k < spec.groups(); k++) {
      if (spec.weightDecay() > 0) inputs.add(scalarInput(b, decay(k)));
      inputs.add(scalarInput(b, stepSize(k)));
    }
    for (int i = 0; i < spec.trainable().size(); i++) {
      String p = spec.trainable().get(i);
      String g = gradNames.get(i);
      int k = spec.groupOf().get(p);
      long[] shape = sd.getArrForVarName(p).shape();
      String m = b.unique(firstMoment(p));
      String v = b.unique(secondMoment(p));
      inputs.add(OnnxExporter.valueInfo(m, shape, DataType.FLOAT));
      inputs.add(OnnxExporter.valueInfo(v, shape, DataType.FLOAT));
      String name = "adam/" + p;
      // m ← β₁·m + (1−β₁)·g
      String m1 = mul(b, name + "/m_decayed", m, b1);
      String m2 = mul(b, name + "/g_scaled", g, oneMinusB1);
      String mNext = declare(b, c, nextFirstMoment(p), shape);
      b.node("Add", name + "/m", new String[] {m1, m2}, mNext);
      // v ← β₂·v + (1−β₂)·g²
      String v1 = mul(b, name + "/v_decayed", v, b2);
      String g2 = mul(b, name + "/g2", g, g);
      String v2 = mul(b, name + "/g2_scaled", g2, oneMinusB2);
      String vNext = declare(b, c, nextSecondMoment(p), shape);
      b.node("Add", name + "/v", new String[] {v1, v2}, vNext);
      // w ← w − w·(lr·wd), then w − m/(√v/√(1−β₂ᵗ) + ε) · lr/(1−β₁ᵗ)
      String w = p;
      if (spec.weightDecay() > 0) {
        String shrink = mul(b, name + "/decay", p, decay(k));
        w = b.unique(name + "/decayed");
        b.node("Sub", name + "/decayed", new String[] {p, shrink}, w);
      }
      String root = b.unique(name + "/sqrt_v");
      b.node("Sqrt", name + "/sqrt_v", new String[] {vNext}, root);
      String corrected = b.unique(name + "/sqrt_v_corrected");
      b.node(
          "Div", name + "/sqrt_v_corrected", new String[] {root, SQRT_BIAS_CORRECTION2}, corrected);
      String denom = b.unique(name + "/denominator");
      b.node("Add", name + "/denominator", new String[] {corrected, eps}, denom);
      String ratio = b.unique(name + "/ratio");
      b.node("Div", name + "/ratio", new String[] {mNext, denom}, ratio);
      String update = mul(b, name + "/update", ratio, stepSize(k));
      String wNext = declare(b, c, next(p), shape);
      b.node("Sub", name + "/next", new String[] {w, update}, wNext);
      if (spec.gradientsOut()) gradientOutput(b, c, p, g, shape);
    }
    return inputs;
  }

  /** {@code sum + weight · gradient} for every trainable parameter ({@link #exportGradients}). */
  private static List<ValueInfoProto> appendGradients(
      OnnxGraphBuilder b, ExportContext c, SameDiff sd, Spec spec, List<String> gradNames) {
    List<ValueInfoProto> inputs = new ArrayList<>();
    inputs.add(scalarInput(b, CHUNK_WEIGHT));
    for (int i = 0; i < spec.trainable().size(); i++) {
      String p = spec.trainable().get(i);
      long[] shape = sd.getArrForVarName(p).shape();
      String sum = b.unique(gradientSum(p));
      inputs.add(OnnxExporter.valueInfo(sum, shape, DataType.FLOAT));
      String weighted = mul(b, "grad_sum/" + p + "/weighted", gradNames.get(i), CHUNK_WEIGHT);
      String next = declare(b, c, nextGradientSum(p), shape);
      b.node("Add", "grad_sum/" + p + "/add", new String[] {sum, weighted}, next);
    }
    return inputs;
  }

  private static void gradientOutput(
      OnnxGraphBuilder b, ExportContext c, String p, String g, long[] shape) {
    String out = declare(b, c, gradient(p), shape);
    b.node("Identity", "adam/" + p + "/gradient", new String[] {g}, out);
  }

  private static ValueInfoProto scalarInput(OnnxGraphBuilder b, String name) {
    b.unique(name);
    return OnnxExporter.valueInfo(name, new long[0], DataType.FLOAT);
  }

  private static String mul(OnnxGraphBuilder b, String name, String x, String y) {
    String out = b.unique(name);
    b.node("Mul", name, new String[] {x, y}, out);
    return out;
  }

  private static String declare(OnnxGraphBuilder b, ExportContext c, String name, long[] shape) {
    String out = b.unique(name);
    if (!out.equals(name)) throw new IllegalStateException("value name '" + name + "' is taken");
    c.declareShape(name, shape);
    return out;
  }
}
