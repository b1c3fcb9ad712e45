package dev.vitmae.export;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.vitmae.export.onnx.OnnxProto.ModelProto;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Runs an exported model in ONNX Runtime (CPU) on ND4J arrays. */
final class OrtRunner {
  private OrtRunner() {}

  static Map<String, INDArray> run(ModelProto model, Map<String, INDArray> inputs)
      throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        OrtSession session = env.createSession(model.toByteArray(), options)) {
      Map<String, OnnxTensor> feeds = new HashMap<>();
      try {
        for (var e : inputs.entrySet()) {
          INDArray v = e.getValue();
          // Index inputs (e.g. the MAE's visible patches) stay int32; the rest is float32.
          if (v.dataType() == DataType.INT) {
            INDArray a = v.dup('c');
            feeds.put(
                e.getKey(),
                OnnxTensor.createTensor(env, IntBuffer.wrap(a.data().asInt()), a.shape()));
            continue;
          }
          INDArray a = v.castTo(DataType.FLOAT).dup('c');
          feeds.put(
              e.getKey(),
              OnnxTensor.createTensor(env, FloatBuffer.wrap(a.data().asFloat()), a.shape()));
        }
        Map<String, INDArray> out = new LinkedHashMap<>();
        try (OrtSession.Result result = session.run(feeds)) {
          for (var e : result) {
            OnnxTensor t = (OnnxTensor) e.getValue();
            FloatBuffer buf = t.getFloatBuffer();
            float[] data = new float[buf.remaining()];
            buf.get(data);
            out.put(e.getKey(), Nd4j.create(data, t.getInfo().getShape(), 'c'));
          }
        }
        return out;
      } finally {
        feeds.values().forEach(OnnxTensor::close);
      }
    }
  }

  /** max |a − b| over all elements; shapes must match. */
  static double maxAbsDiff(INDArray a, INDArray b) {
    if (!java.util.Arrays.equals(a.shape(), b.shape())) {
      throw new AssertionError(
          "shape "
              + java.util.Arrays.toString(a.shape())
              + " vs "
              + java.util.Arrays.toString(b.shape()));
    }
    return a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
  }
}
