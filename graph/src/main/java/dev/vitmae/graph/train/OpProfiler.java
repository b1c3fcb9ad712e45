package dev.vitmae.graph.train;

import java.util.HashMap;
import java.util.Map;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Wall time per SameDiff op type (forward and backward ops alike), summed over the ops executed;
 * install with {@code trainer.graph().setListeners(profiler)}.
 */
public final class OpProfiler extends BaseListener {
  /** Time and count of one op type. */
  public record Entry(String op, long nanos, int calls) {}

  private final Map<String, long[]> totals = new HashMap<>();
  private long started;

  @Override
  public boolean isActive(Operation operation) {
    return true;
  }

  @Override
  public void preOpExecution(SameDiff sd, At at, SameDiffOp op, OpContext opContext) {
    started = System.nanoTime();
  }

  @Override
  public void opExecution(
      SameDiff sd,
      At at,
      MultiDataSet batch,
      SameDiffOp op,
      OpContext opContext,
      INDArray[] outputs) {
    long[] t = totals.computeIfAbsent(op.getOp().opName(), k -> new long[2]);
    t[0] += System.nanoTime() - started;
    t[1]++;
  }

  /** Op types by total time, largest first. */
  public java.util.List<Entry> entries() {
    return totals.entrySet().stream()
        .map(e -> new Entry(e.getKey(), e.getValue()[0], (int) e.getValue()[1]))
        .sorted((a, b) -> Long.compare(b.nanos(), a.nanos()))
        .toList();
  }

  public long totalNanos() {
    return totals.values().stream().mapToLong(t -> t[0]).sum();
  }
}
