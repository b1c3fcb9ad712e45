package dev.vitmae.graph.model;

import dev.vitmae.contract.TensorNames;
import dev.vitmae.graph.config.ViTConfig;
import dev.vitmae.graph.nn.DropPath;
import dev.vitmae.graph.nn.Net;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/** The ViT classifier: encoder, pooling, {@code head} Linear(dim, classes), cross-entropy. */
public final class VitClassifier {
  private VitClassifier() {}

  /**
   * Inputs {@code images [B, C, H, W]}, {@code labels [B, classes]} (one-hot, training only);
   * outputs {@code logits [B, classes]}, {@code embedding}, {@code tokens} and the mean
   * cross-entropy {@code loss}.
   */
  public static SameDiff build(ViTConfig c, DataType dtype, long seed) {
    return build(c, dtype, seed, false);
  }

  /**
   * {@link #build(ViTConfig, DataType, long)}, with {@code dropPath}: a training graph with
   * stochastic depth, whose encoder's residual branches are scaled by the input {@code drop_path
   * [B, 2·depth]} ({@link Names#DROP_PATH}; all ones computes the plain graph's outputs).
   */
  public static SameDiff build(ViTConfig c, DataType dtype, long seed, boolean dropPath) {
    Net net = new Net(SameDiff.create(), dtype, seed);
    SameDiff sd = net.sd();
    SDVariable images =
        net.input(TensorNames.IMAGES, -1, c.channels(), c.imageSize(), c.imageSize());
    SDVariable labels = net.input(Names.LABELS, -1, c.numClasses());
    SDVariable keep =
        dropPath ? net.input(Names.DROP_PATH, -1, DropPath.BRANCHES_PER_BLOCK * c.depth()) : null;
    VitEncoder.Encoded enc = VitEncoder.encode(net, c, images, keep);
    sd.identity(TensorNames.TOKENS, enc.tokens());
    sd.identity(TensorNames.EMBEDDING, enc.embedding());
    double bound = 1 / Math.sqrt(c.dim());
    SDVariable logits =
        sd.mmul(enc.embedding(), net.uniform("head/W", bound, c.dim(), c.numClasses()))
            .add(TensorNames.LOGITS, net.uniform("head/b", bound, c.numClasses()));
    // Mean over the batch of -Σ y log softmax(logits). Stock logSoftmax fails to build a
    // gradient in M2.1; the max shift cancels exactly in the gradient.
    SDVariable shifted = logits.sub(sd.max(logits, true, 1));
    SDVariable logProbs = shifted.sub(sd.math().log(sd.sum(sd.math().exp(shifted), true, 1)));
    sd.mean(Names.LOSS, sd.sum(labels.mul(logProbs), 1).neg());
    sd.setLossVariables(Names.LOSS);
    return sd;
  }
}
