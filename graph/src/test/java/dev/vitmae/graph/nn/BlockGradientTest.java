package dev.vitmae.graph.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitmae.graph.FiniteDifferences;
import dev.vitmae.graph.config.PosEmbedding;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Every block's gradients against finite differences (double precision). Each block's output is
 * reduced with a fixed random weighting, {@code loss = Σ out ⊙ R}, so every output element carries
 * a distinct gradient.
 */
class BlockGradientTest {
  private static final int B = 2, N = 4, D = 8;
  private static final double TOLERANCE = 1e-5;

  /** Builds {@code block(net, x)} on {@code x [B, N, D]} and checks all its parameters. */
  private static void check(String what, BiFunction<Net, SDVariable, SDVariable> block) {
    Nd4j.getRandom().setSeed(7);
    Net net = new Net(SameDiff.create(), DataType.DOUBLE, 11);
    SDVariable x = net.input("x", -1, N, D);
    SDVariable out = block.apply(net, x);
    // x is a placeholder; also learn a scale on it so the input path's gradient is checked.
    long[] shape = out.eval(Map.of("x", input())).shape();
    SDVariable weights = net.sd().constant("R", Nd4j.rand(DataType.DOUBLE, shape).subi(0.5));
    net.sd().sum("loss", out.mul(weights));
    List<FiniteDifferences.Probe> probes =
        FiniteDifferences.check(net.sd(), Map.of("x", input()), "loss", 40, 3);
    FiniteDifferences.Probe worst = FiniteDifferences.worst(probes);
    assertTrue(worst.relativeError() < TOLERANCE, what + ": worst " + worst);
  }

  private static INDArray input() {
    Nd4j.getRandom().setSeed(5);
    return Nd4j.randn(DataType.DOUBLE, B, N, D);
  }

  /** A learned input scale in front of a block, so gradients through its input are checked. */
  private static SDVariable scaled(Net net, SDVariable x) {
    return x.mul(net.uniform("input_scale", 1, D).add(1.0));
  }

  @Test
  void linear() {
    check("linear", (net, x) -> Layers.linear(net, "lin", scaled(net, x), N, D, 5, true));
  }

  @Test
  void layerNorm() {
    check("layerNorm", (net, x) -> Layers.layerNorm(net, "ln", scaled(net, x), D));
  }

  @Test
  void gelu() {
    check("gelu", (net, x) -> Layers.gelu(net.sd(), scaled(net, x)));
  }

  @Test
  void attentionWithKeyMask() {
    check(
        "attention",
        (net, x) -> {
          double[] mask = {0, 1, 0, 0, 1, 0, 0, 1};
          SDVariable m = net.constant("mask", mask, B, N);
          return Attention.build(
              net, "attn", scaled(net, x), Attention.keyBias(net, m, N), N, D, 2, 3);
        });
  }

  @Test
  void attentionSingleHeadWithoutProjection() {
    check(
        "attention 1 head",
        (net, x) -> Attention.build(net, "attn", scaled(net, x), null, N, D, 1, D));
  }

  @Test
  void feedForward() {
    check("feedForward", (net, x) -> FeedForward.build(net, "ff", scaled(net, x), N, D, 12));
  }

  @Test
  void transformer() {
    check(
        "transformer",
        (net, x) ->
            Transformer.build(
                net, "t", scaled(net, x), null, N, new Transformer.Spec(D, 2, 2, 4, 6)));
  }

  @Test
  void positionsLearnedAndPatchifyRoundTrip() {
    check(
        "positions + patchify",
        (net, x) -> {
          SDVariable pos = Positions.build(net, "pos", PosEmbedding.LEARNED, 2, D);
          SDVariable tokens = scaled(net, x).add(pos);
          // [B, 4, 8] as 2×2 patches of 2×2 pixels, 2 channels, and back.
          SDVariable images = Patchify.images(net.sd(), tokens, 2, 2, 2);
          return Patchify.patches(net.sd(), images, 2, 2, 2);
        });
  }
}
