package dev.vitmae.graph.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class GradFunctionTest {
  /** loss = sum(tanh(x · w)), a few differentiable ops. */
  private static SameDiff graph() {
    SameDiff sd = SameDiff.create();
    SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 3);
    SDVariable w = sd.var("w", Nd4j.rand(DataType.FLOAT, 3, 2));
    sd.math().tanh(x.mmul(w)).sum("loss");
    sd.setLossVariables("loss");
    return sd;
  }

  private static String capturing(Runnable body) {
    PrintStream original = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream capture = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    System.setOut(capture);
    try {
      body.run();
      assertSame(capture, System.out, "System.out is put back");
    } finally {
      System.setOut(original);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void plainNd4jPrintsOneLinePerOp() {
    // The reason GradFunction exists: if ND4J ever stops printing, this fails and it can go.
    String printed = capturing(() -> graph().createGradFunction());
    assertTrue(printed.contains(GradFunction.PREFIX), printed);
  }

  @Test
  void createsTheGradientsWithoutPerOpLines() {
    SameDiff sd = graph();
    String printed = capturing(() -> GradFunction.create(sd));
    assertFalse(printed.contains(GradFunction.PREFIX), printed);
    assertNotNull(sd.getFunction("grad"));
    INDArray x = Nd4j.rand(DataType.FLOAT, 4, 3);
    Map<String, INDArray> grads = sd.calculateGradients(Map.of("x", x), List.of("w"));
    assertEquals(List.of(3L, 2L), List.of(grads.get("w").size(0), grads.get("w").size(1)));
  }

  @Test
  void otherThreadsAndOtherLinesPassThrough() throws InterruptedException {
    SameDiff sd = graph();
    String printed =
        capturing(
            () -> {
              Thread other =
                  new Thread(
                      () -> {
                        for (int i = 0; i < 200; i++) System.out.println(GradFunction.PREFIX + i);
                      });
              other.start();
              GradFunction.create(sd);
              try {
                other.join();
              } catch (InterruptedException e) {
                throw new AssertionError(e);
              }
              System.out.println("after");
            });
    // Another thread's lines are not ours to drop, even with the prefix.
    for (int i = 0; i < 200; i++) {
      assertTrue(printed.contains(GradFunction.PREFIX + i + System.lineSeparator()), printed);
    }
    assertTrue(printed.endsWith("after" + System.lineSeparator()), printed);
  }
}
