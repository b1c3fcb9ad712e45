package dev.vitmae.spark;

import dev.vitmae.runtime.Embeddings;
import dev.vitmae.runtime.EncoderView;
import dev.vitmae.runtime.VitModel;
import java.nio.FloatBuffer;

/**
 * Encoder outputs: the pooled embedding {@code [dim]} and, when asked, the tokens {@code [n][dim]}.
 */
record EmbedKernel(boolean tokens) implements Kernel<EncoderView> {

  @Override
  public EncoderView view(VitModel model) {
    return model.encoder();
  }

  @Override
  public Object[][] run(EncoderView model, FloatBuffer images, int batch) {
    Embeddings e = model.embed(images, batch);
    Object[][] out = new Object[batch][];
    for (int i = 0; i < batch; i++) {
      out[i] = tokens ? new Object[] {e.embedding(i), tokens(e, i)} : new Object[] {e.embedding(i)};
    }
    return out;
  }

  private static float[][] tokens(Embeddings e, int sample) {
    float[][] t = new float[e.numTokens()][e.dim()];
    int at = sample * e.numTokens() * e.dim();
    for (int n = 0; n < t.length; n++) {
      System.arraycopy(e.tokens(), at + n * e.dim(), t[n], 0, e.dim());
    }
    return t;
  }
}
