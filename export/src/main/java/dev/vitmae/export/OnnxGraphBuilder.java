package dev.vitmae.export;

import com.google.protobuf.ByteString;
import dev.vitmae.export.onnx.OnnxProto.AttributeProto;
import dev.vitmae.export.onnx.OnnxProto.GraphProto;
import dev.vitmae.export.onnx.OnnxProto.NodeProto;
import dev.vitmae.export.onnx.OnnxProto.TensorProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The graph being written: nodes in order, initializers, and unique names for everything the
 * exporter adds itself (constants and intermediate values are named after the SameDiff op that
 * needed them, e.g. {@code matmul_3/transpose_b}).
 */
final class OnnxGraphBuilder {
  private final GraphProto.Builder graph = GraphProto.newBuilder();
  private final Set<String> values = new HashSet<>();
  private final Set<String> nodes = new HashSet<>();

  GraphProto.Builder graph() {
    return graph;
  }

  /** A value name not used before in this graph, {@code base} itself when possible. */
  String unique(String base) {
    return claim(values, base);
  }

  private static String claim(Set<String> taken, String base) {
    String name = base;
    for (int i = 1; !taken.add(name); i++) name = base + "_" + i;
    return name;
  }

  /** Appends a node; returns it for attributes. Node names are unique. */
  NodeProto.Builder node(String opType, String name, String[] inputs, String... outputs) {
    NodeProto.Builder node = graph.addNodeBuilder().setOpType(opType).setName(claim(nodes, name));
    for (String in : inputs) node.addInput(in);
    for (String out : outputs) node.addOutput(out);
    return node;
  }

  /**
   * Removes the nodes that no output in {@code outputs} depends on, then the initializers no node
   * reads (graph inputs stay: callers feed them by name). ONNX Runtime runs every node of a graph
   * whatever outputs are asked for, so a backward op's gradient for an input that is not trained (a
   * fed mask, a label) would cost its full pass at every step.
   *
   * @return the number of nodes removed
   */
  int removeUnused(Collection<String> outputs) {
    Set<String> read = new HashSet<>(outputs);
    List<NodeProto> nodeList = graph.getNodeList();
    boolean[] keep = new boolean[nodeList.size()];
    for (int i = nodeList.size() - 1; i >= 0; i--) {
      NodeProto node = nodeList.get(i);
      keep[i] = node.getOutputList().stream().anyMatch(read::contains);
      if (keep[i]) read.addAll(node.getInputList());
    }
    int removed = 0;
    for (int i = nodeList.size() - 1; i >= 0; i--) {
      if (!keep[i]) {
        graph.removeNode(i);
        removed++;
      }
    }
    for (int i = graph.getInitializerCount() - 1; i >= 0; i--) {
      if (!read.contains(graph.getInitializer(i).getName())) graph.removeInitializer(i);
    }
    return removed;
  }

  /** A float32 initializer from little-endian raw data. */
  String floatTensor(String name, long[] dims, float[] values) {
    ByteBuffer buf = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    buf.asFloatBuffer().put(values);
    return initializer(name, dims, TensorProto.DataType.FLOAT, buf.array());
  }

  /** An int64 initializer (shapes, axes, split sizes). */
  String int64Tensor(String name, long... values) {
    ByteBuffer buf = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    buf.asLongBuffer().put(values);
    return initializer(name, new long[] {values.length}, TensorProto.DataType.INT64, buf.array());
  }

  /** A float32 scalar constant (rank 0). */
  String scalar(String name, double value) {
    return floatTensor(name, new long[0], new float[] {(float) value});
  }

  private String initializer(String name, long[] dims, TensorProto.DataType type, byte[] raw) {
    String unique = unique(name);
    TensorProto.Builder t =
        graph
            .addInitializerBuilder()
            .setName(unique)
            .setDataType(type.getNumber())
            .setRawData(ByteString.copyFrom(raw));
    for (long d : dims) t.addDims(d);
    return unique;
  }

  static AttributeProto ints(String name, long... values) {
    AttributeProto.Builder a =
        AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
    for (long v : values) a.addInts(v);
    return a.build();
  }

  static AttributeProto intAttr(String name, long value) {
    return AttributeProto.newBuilder()
        .setName(name)
        .setType(AttributeProto.AttributeType.INT)
        .setI(value)
        .build();
  }

  static AttributeProto floatAttr(String name, double value) {
    return AttributeProto.newBuilder()
        .setName(name)
        .setType(AttributeProto.AttributeType.FLOAT)
        .setF((float) value)
        .build();
  }

  static AttributeProto tensorAttr(String name, TensorProto value) {
    return AttributeProto.newBuilder()
        .setName(name)
        .setType(AttributeProto.AttributeType.TENSOR)
        .setT(value)
        .build();
  }
}
