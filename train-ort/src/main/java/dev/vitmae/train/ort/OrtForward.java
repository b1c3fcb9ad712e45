package dev.vitmae.train.ort;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.vitmae.export.OnnxExporter;
import dev.vitmae.export.OnnxTranslator;
import dev.vitmae.export.TrainingStepExporter;
import dev.vitmae.graph.train.StepEngine;
import dev.vitmae.runtime.ModelOptions;
import dev.vitmae.runtime.OrtNative;
import dev.vitmae.runtime.RawSession;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A forward pass of a SameDiff graph on ONNX Runtime, for what a task computes outside its training
 * step (I-JEPA's EMA target encoder, its test loss). The graph is written once with its variables
 * as inputs ({@link TrainingStepExporter#exportForward}); every run reads them from the graph's own
 * arrays without a copy, so weights changed in place between runs are seen.
 */
final class OrtForward implements StepEngine.Forward {
  private final SameDiff graph;
  private final List<String> outputs;
  private final RawSession session;
  private final OrtEnvironment env = OrtNative.environment();

  /** Session inputs that are graph variables (the rest are the caller's placeholders). */
  private final List<String> variables = new ArrayList<>();

  private final List<String> placeholders = new ArrayList<>();

  OrtForward(
      SameDiff graph,
      List<String> outputs,
      ModelOptions options,
      List<OnnxTranslator> translators) {
    this.graph = graph;
    this.outputs = List.copyOf(outputs);
    byte[] model =
        TrainingStepExporter.exportForward(
                graph, this.outputs, OnnxExporter.DEFAULT_OPSET, translators)
            .toByteArray();
    try {
      this.session = RawSession.open(model, "forward pass", options.withMemoryPattern(false));
      for (String name : session.session().getInputNames()) {
        boolean variable =
            graph.hasVariable(name)
                && graph.getVariable(name).getVariableType() == VariableType.VARIABLE;
        (variable ? variables : placeholders).add(name);
      }
    } catch (OrtException e) {
      throw new IllegalStateException(
          "ONNX Runtime refused the forward pass to " + outputs + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Map<String, INDArray> run(Map<String, INDArray> inputs) {
    List<OnnxTensor> owned = new ArrayList<>();
    try {
      Map<String, OnnxTensor> feeds = new HashMap<>();
      for (String name : variables) {
        feeds.put(name, own(owned, graph.getArrForVarName(name)));
      }
      for (String name : placeholders) {
        INDArray value = inputs.get(name);
        if (value == null) {
          throw new IllegalArgumentException(
              "the forward pass needs input '" + name + "'; given " + inputs.keySet());
        }
        feeds.put(name, own(owned, value));
      }
      Map<String, INDArray> out = new LinkedHashMap<>();
      try (OrtSession.Result result = session.session().run(feeds, new LinkedHashSet<>(outputs))) {
        for (String name : outputs) {
          OnnxTensor t = (OnnxTensor) result.get(name).orElseThrow();
          out.put(name, toNd4j(t));
        }
      }
      return out;
    } catch (OrtException e) {
      throw new IllegalStateException(
          "ONNX Runtime forward pass to " + outputs + " failed: " + e.getMessage(), e);
    } finally {
      owned.forEach(OnnxTensor::close);
    }
  }

  private OnnxTensor own(List<OnnxTensor> owned, INDArray a) throws OrtException {
    OnnxTensor t = OrtEngine.tensor(env, OrtEngine.contiguous(a));
    owned.add(t);
    return t;
  }

  private static INDArray toNd4j(OnnxValue value) throws OrtException {
    OnnxTensor t = (OnnxTensor) value;
    if (t.getInfo().type != ai.onnxruntime.OnnxJavaType.FLOAT) {
      throw new IllegalStateException(
          "a forward pass output is " + t.getInfo().type + ", not float32");
    }
    long[] shape = t.getInfo().getShape();
    FloatBuffer data = t.getFloatBuffer();
    float[] values = new float[data.remaining()];
    data.get(values);
    return Nd4j.create(values, shape, 'c');
  }

  @Override
  public void close() {
    session.close();
  }
}
