package dev.vitmae.graph.nn;

import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The graph being built: the {@link SameDiff} instance, the floating-point type of every parameter,
 * and the seeded generator that initializes them.
 *
 * <p>Initial values come from a Java {@link SplittableRandom}, not from ND4J's generator, so a seed
 * gives the same weights on every backend. Parameter names are hierarchical ({@code
 * encoder/block0/attn/qkv/W}): the exporter, checkpoints and users find weights by name.
 */
public final class Net {
  private final SameDiff sd;
  private final DataType dtype;
  private final SplittableRandom rng;

  public Net(SameDiff sd, DataType dtype, long seed) {
    this.sd = sd;
    this.dtype = dtype;
    this.rng = new SplittableRandom(seed);
  }

  public SameDiff sd() {
    return sd;
  }

  public DataType dtype() {
    return dtype;
  }

  /** A trainable parameter drawn from U(-bound, bound), PyTorch's default for Linear layers. */
  public SDVariable uniform(String name, double bound, long... shape) {
    double[] values = new double[length(shape)];
    for (int i = 0; i < values.length; i++) values[i] = (rng.nextDouble() * 2 - 1) * bound;
    return sd.var(name, array(values, shape));
  }

  /** A trainable parameter drawn from N(0, 1), vit-pytorch's init of positions and tokens. */
  public SDVariable normal(String name, long... shape) {
    double[] values = new double[length(shape)];
    for (int i = 0; i < values.length; i++) values[i] = gaussian();
    return sd.var(name, array(values, shape));
  }

  /** A trainable parameter filled with {@code value}. */
  public SDVariable filled(String name, double value, long... shape) {
    double[] values = new double[length(shape)];
    java.util.Arrays.fill(values, value);
    return sd.var(name, array(values, shape));
  }

  /** A fixed (non-trainable) tensor. */
  public SDVariable constant(String name, double[] values, long... shape) {
    return sd.constant(name, array(values, shape));
  }

  /** A scalar constant of the graph's type. */
  public SDVariable scalar(String name, double value) {
    return sd.constant(name, Nd4j.scalar(value).castTo(dtype));
  }

  /** An input fed at run time; {@code -1} marks the batch dimension. */
  public SDVariable input(String name, long... shape) {
    return sd.placeHolder(name, dtype, shape);
  }

  private INDArray array(double[] values, long[] shape) {
    return Nd4j.create(values, shape, DataType.DOUBLE).castTo(dtype);
  }

  private double gaussian() {
    // Box–Muller on the seeded generator: reproducible across JVMs and backends.
    double u1 = 1.0 - rng.nextDouble();
    double u2 = rng.nextDouble();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  private static int length(long[] shape) {
    long n = 1;
    for (long d : shape) n *= d;
    return Math.toIntExact(n);
  }
}
