package dev.vitmae.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vitmae.export.onnx.OnnxProto.NodeProto;
import dev.vitmae.export.onnx.OnnxProto.TensorProto;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@link OnnxGraphBuilder#removeUnused} keeps and removes. */
class OnnxGraphBuilderTest {
  @Test
  void onlyWhatTheOutputsNeedIsKept() {
    OnnxGraphBuilder b = new OnnxGraphBuilder();
    String two = b.scalar("two", 2);
    String three = b.scalar("three", 3);
    b.node("Mul", "a", new String[] {"x", two}, "a_out");
    // Two outputs, one of them used: the node stays.
    b.node("Split", "split", new String[] {"a_out"}, "s0", "s1");
    b.node("Relu", "y", new String[] {"s0"}, "y");
    // A dead chain from a live value, and its constant.
    b.node("Mul", "dead", new String[] {"s1", three}, "dead_out");
    b.node("Neg", "dead_too", new String[] {"dead_out"}, "dead_neg");

    assertEquals(2, b.removeUnused(List.of("y")));
    assertEquals(
        List.of("a", "split", "y"),
        b.graph().getNodeList().stream().map(NodeProto::getName).toList());
    assertEquals(
        List.of(two), b.graph().getInitializerList().stream().map(TensorProto::getName).toList());
    assertEquals(0, b.removeUnused(List.of("y")), "nothing more");
  }
}
