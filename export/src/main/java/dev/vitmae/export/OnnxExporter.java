package dev.vitmae.export;

import dev.vitmae.export.onnx.OnnxProto.ModelProto;
import dev.vitmae.export.onnx.OnnxProto.TensorProto;
import dev.vitmae.export.onnx.OnnxProto.TensorShapeProto;
import dev.vitmae.export.onnx.OnnxProto.TypeProto;
import dev.vitmae.export.onnx.OnnxProto.ValueInfoProto;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Writes a SameDiff graph as an ONNX model: walks the forward ops the requested outputs depend on,
 * in SameDiff's topological order, through the {@link OnnxOp} registry; vitmae's LayerNorm pattern
 * becomes one native {@code LayerNormalization} node ({@link LayerNormFusion}), and in a gradient
 * function the exact GELU and the LayerNorm are written with SameDiff's gradients of them in fewer
 * passes ({@link GeluFusion}, {@link LayerNormGradFusion}). Variables and constants become float32
 * initializers, placeholders become graph inputs whose first dimension is the symbolic {@code
 * batch}.
 */
public final class OnnxExporter {
  public static final int DEFAULT_OPSET = 17;
  public static final int MIN_OPSET = 17;

  /** The newest opset ONNX Runtime 1.29 (the pinned version) implements, IR version 10. */
  public static final int MAX_OPSET = 21;

  /**
   * {@code opset} itself when this exporter writes it, the one check of the supported range.
   *
   * @throws IllegalArgumentException naming the opset and the range
   */
  public static int checkOpset(int opset) {
    if (opset < MIN_OPSET || opset > MAX_OPSET) {
      throw new IllegalArgumentException(
          "opset " + opset + " is not supported: use " + MIN_OPSET + ".." + MAX_OPSET);
    }
    return opset;
  }

  public static final String PRODUCER = "vitmae";

  /** Batch size of the shape probe; any size > 1 shows which dimension is the batch. */
  private static final int PROBE_BATCH = 2;

  private OnnxExporter() {}

  /** IR version for an opset: 8 for opset 17–18, 9 for 19–20, 10 for 21. */
  public static int irVersion(int opset) {
    return opset <= 18 ? 8 : opset <= 20 ? 9 : 10;
  }

  /**
   * Exports the part of {@code sd} that computes {@code request.outputs()}.
   *
   * @throws UnsupportedOpException when an op has no ONNX translation
   * @throws OnnxValidationException when the written graph is inconsistent
   */
  public static ModelProto export(SameDiff sd, ExportRequest request) {
    return export(sd, request, Extension.NONE);
  }

  /**
   * How a caller in this package (the training-step exporter) extends an export: which SameDiff
   * values to walk from (instead of the request's outputs), which stored variables become graph
   * inputs instead of initializers, whether to fuse LayerNorms, and nodes appended after the
   * translated ops (with the value infos of the extra graph inputs they read).
   */
  record Extension(
      List<String> walkFrom,
      Set<String> storedAsInputs,
      boolean fuseLayerNorm,
      int probeBatches,
      boolean onnxRuntimeOnly,
      Appender appender) {
    static final Extension NONE =
        new Extension(null, Set.of(), true, 1, false, (b, c) -> List.of());
  }

  /** Appends nodes; returns the extra graph inputs it reads. */
  @FunctionalInterface
  interface Appender {
    List<ValueInfoProto> append(OnnxGraphBuilder b, ExportContext context);
  }

  static ModelProto export(SameDiff sd, ExportRequest request, Extension ext) {
    List<String> walk = ext.walkFrom() == null ? request.outputs() : ext.walkFrom();
    List<DifferentialFunction> ops = requiredOps(sd, walk);
    Set<String> placeholders = new LinkedHashSet<>();
    Set<String> stored = new LinkedHashSet<>();
    Set<String> storedInputs = new LinkedHashSet<>();
    for (DifferentialFunction op : ops) {
      for (String arg : op.argNames()) {
        VariableType type = sd.getVariable(arg).getVariableType();
        if (type == VariableType.PLACEHOLDER) placeholders.add(arg);
        if (type == VariableType.VARIABLE || type == VariableType.CONSTANT) {
          (ext.storedAsInputs().contains(arg) ? storedInputs : stored).add(arg);
        }
      }
    }
    Map<String, long[]> shapes = probeShapes(sd, ops, placeholders, PROBE_BATCH);
    Map<String, long[]> other =
        ext.probeBatches() > 1 ? probeShapes(sd, ops, placeholders, PROBE_BATCH + 1) : shapes;

    OnnxGraphBuilder b = new OnnxGraphBuilder();
    b.graph().setName(request.graphName());
    for (String name : placeholders) {
      b.unique(name);
      b.graph().addInput(valueInfo(name, shapes.get(name), sd.getVariable(name).dataType()));
    }
    for (String name : storedInputs) {
      b.unique(name);
      b.graph().addInput(valueInfo(name, sd.getArrForVarName(name).shape(), DataType.FLOAT));
    }
    for (String name : stored) {
      INDArray a = sd.getArrForVarName(name);
      b.floatTensor(name, a.shape(), a.castTo(DataType.FLOAT).dup('c').data().asFloat());
    }
    ExportContext context =
        new ExportContext(b, request.opset(), shapes, other, ext.onnxRuntimeOnly());
    Map<String, OnnxTranslator> translators = new HashMap<>();
    for (OnnxTranslator t : request.translators()) translators.putIfAbsent(t.sameDiffOp(), t);
    OpGraph graph = new OpGraph(ops, walk);
    Map<String, LayerNormFusion.Match> layerNorms =
        ext.fuseLayerNorm() ? LayerNormFusion.find(sd, graph, ops, shapes) : Map.of();
    Set<String> absorbed = new java.util.HashSet<>();
    layerNorms.values().forEach(m -> absorbed.addAll(m.absorbed()));
    // In a gradient function: the GELUs and LayerNorms with SameDiff's gradients of them.
    Map<String, GeluFusion.Match> gelus = GeluFusion.find(graph, ops);
    gelus.values().forEach(m -> absorbed.addAll(m.absorbed()));
    Map<String, LayerNormGradFusion.Match> norms = LayerNormGradFusion.find(sd, graph, ops, shapes);
    norms.values().forEach(m -> absorbed.addAll(m.absorbed()));
    for (DifferentialFunction op : ops) {
      GeluFusion.Match gelu = gelus.get(op.getOwnName());
      if (gelu != null) {
        if (op == gelu.forward()) GeluFusion.emitForward(context, gelu);
        else GeluFusion.emitBackward(context, gelu);
        continue;
      }
      LayerNormGradFusion.Match norm = norms.get(op.getOwnName());
      if (norm != null) {
        if (op == norm.forward()) LayerNormGradFusion.emitForward(context, norm);
        else LayerNormGradFusion.emitBackward(context, norm, op);
        continue;
      }
      LayerNormFusion.Match ln = layerNorms.get(op.getOwnName());
      if (ln != null) {
        String out = op.outputVariablesNames()[0];
        b.unique(out);
        b.node(
                "LayerNormalization",
                op.getOwnName(),
                new String[] {ln.input(), ln.gain(), ln.bias()},
                out)
            .addAttribute(OnnxGraphBuilder.intAttr("axis", -1))
            .addAttribute(OnnxGraphBuilder.floatAttr("epsilon", ln.epsilon()));
        continue;
      }
      if (absorbed.contains(op.getOwnName())) continue;
      for (String out : op.outputVariablesNames()) b.unique(out);
      OnnxTranslator custom = translators.get(op.opName());
      if (custom != null) custom.translate(context, op);
      else OnnxOp.of(op).emit(context, op);
    }
    ext.appender().append(b, context).forEach(b.graph()::addInput);
    return model(b, context, request);
  }

  /**
   * The model of a built graph: what the request's outputs do not need removed ({@link
   * OnnxGraphBuilder#removeUnused}), every node checked against its operator spec, the outputs
   * declared with the shapes {@code context} knows, the opset and metadata, validated.
   */
  static ModelProto model(OnnxGraphBuilder b, ExportContext context, ExportRequest request) {
    b.removeUnused(request.outputs());
    checkOperators(b, request);
    for (String name : request.outputs()) {
      long[] shape = context.shapeOrNull(name);
      b.graph().addOutput(valueInfo(name, shape, DataType.FLOAT));
    }

    ModelProto.Builder model =
        ModelProto.newBuilder()
            .setIrVersion(irVersion(request.opset()))
            .setProducerName(PRODUCER)
            .setProducerVersion(Version.VITMAE)
            .setGraph(b.graph());
    model.addOpsetImportBuilder().setDomain("").setVersion(request.opset());
    if (b.graph().getNodeList().stream()
        .anyMatch(n -> n.getDomain().equals(OnnxOperator.ONNX_RUNTIME_DOMAIN))) {
      model.addOpsetImportBuilder().setDomain(OnnxOperator.ONNX_RUNTIME_DOMAIN).setVersion(1);
    }
    request.metadata().forEach((k, v) -> model.addMetadataPropsBuilder().setKey(k).setValue(v));
    ModelProto built = model.build();
    OnnxValidator.validate(built);
    return built;
  }

  /**
   * Checks every node against its {@link OnnxOperator} spec: the standard ones and those the
   * request's translators declare.
   */
  private static void checkOperators(OnnxGraphBuilder b, ExportRequest request) {
    Map<String, OnnxOperator> specs = new HashMap<>(OnnxOperator.STANDARD);
    request.translators().forEach(t -> t.operators().forEach(o -> specs.put(o.opType(), o)));
    for (var node : b.graph().getNodeList()) {
      boolean onnxRuntime = node.getDomain().equals(OnnxOperator.ONNX_RUNTIME_DOMAIN);
      OnnxOperator spec = (onnxRuntime ? OnnxOperator.ONNX_RUNTIME : specs).get(node.getOpType());
      if (spec == null) {
        throw new UnsupportedOpException(
            "ONNX node '"
                + node.getName()
                + "' uses operator '"
                + node.getOpType()
                + "', which has no spec; a translator that emits it must declare it"
                + " in OnnxTranslator.operators()");
      }
      spec.check(node, onnxRuntime ? 1 : request.opset());
    }
  }

  /** The ops that the outputs depend on, in SameDiff's (topological) order. */
  static List<DifferentialFunction> requiredOps(SameDiff sd, List<String> outputs) {
    Set<String> needed = new java.util.HashSet<>();
    Deque<String> todo = new ArrayDeque<>();
    for (String out : outputs) {
      if (!sd.hasVariable(out)) {
        throw new IllegalArgumentException("graph has no variable '" + out + "' to export");
      }
      todo.push(out);
    }
    Set<String> seenVars = new java.util.HashSet<>();
    while (!todo.isEmpty()) {
      String var = todo.pop();
      if (!seenVars.add(var)) continue;
      DifferentialFunction producer = sd.getVariableOutputOp(var);
      if (producer == null || !needed.add(producer.getOwnName())) continue;
      for (String arg : producer.argNames()) todo.push(arg);
    }
    List<DifferentialFunction> ops = new ArrayList<>();
    for (DifferentialFunction op : sd.ops()) if (needed.contains(op.getOwnName())) ops.add(op);
    return ops;
  }

  /** Runs the graph once on zeros at batch {@value #PROBE_BATCH}; returns every value's shape. */
  private static Map<String, long[]> probeShapes(
      SameDiff sd, List<DifferentialFunction> ops, Set<String> placeholders, int batch) {
    Map<String, INDArray> feeds = new HashMap<>();
    Map<String, long[]> shapes = new HashMap<>();
    for (String name : placeholders) {
      long[] shape = sd.getVariable(name).placeholderShape().clone();
      for (int i = 0; i < shape.length; i++) {
        if (shape[i] < 0 && i != 0) {
          throw new IllegalArgumentException(
              "placeholder '" + name + "' has an unknown dimension " + i + " besides the batch");
        }
        if (shape[i] < 0) shape[i] = batch;
      }
      feeds.put(name, Nd4j.zeros(sd.getVariable(name).dataType(), shape));
      shapes.put(name, shape);
    }
    List<String> values = new ArrayList<>();
    for (DifferentialFunction op : ops) values.addAll(List.of(op.outputVariablesNames()));
    sd.output(feeds, values).forEach((k, v) -> shapes.put(k, v.shape()));
    for (SDVariable v : sd.variables()) {
      if (v.getArr() != null
          && !shapes.containsKey(v.name())
          && v.getVariableType() != VariableType.PLACEHOLDER) {
        shapes.put(v.name(), v.getArr().shape());
      }
    }
    return shapes;
  }

  /** The ONNX element type of an ND4J data type (float32 for anything floating-point). */
  static int onnxType(DataType type) {
    return switch (type) {
      case INT -> TensorProto.DataType.INT32_VALUE;
      case LONG -> TensorProto.DataType.INT64_VALUE;
      case BOOL -> TensorProto.DataType.BOOL_VALUE;
      default -> TensorProto.DataType.FLOAT_VALUE;
    };
  }

  /** A tensor value; the first dimension of a batched value is the symbolic {@code batch}. */
  static ValueInfoProto valueInfo(String name, long[] probed, DataType type) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (int i = 0; probed != null && i < probed.length; i++) {
      if (i == 0 && probed[0] == PROBE_BATCH) shape.addDimBuilder().setDimParam("batch");
      else shape.addDimBuilder().setDimValue(probed[i]);
    }
    return ValueInfoProto.newBuilder()
        .setName(name)
        .setType(
            TypeProto.newBuilder()
                .setTensorType(
                    TypeProto.Tensor.newBuilder().setElemType(onnxType(type)).setShape(shape)))
        .build();
  }
}
