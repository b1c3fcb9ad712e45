package dev.vitmae.spark;

import dev.vitmae.runtime.ClassifierView;
import dev.vitmae.runtime.VitModel;
import java.nio.FloatBuffer;

/**
 * Classifier outputs: the class index (the runtime's {@link ClassifierView#argmax}), its name (null
 * when {@code classNames} is null), and the softmax probabilities {@code [classes]}.
 */
record ClassifyKernel(String[] classNames) implements Kernel<ClassifierView> {

  @Override
  public ClassifierView view(VitModel model) {
    return model.classifier();
  }

  @Override
  public Object[][] run(ClassifierView model, FloatBuffer images, int batch) {
    float[] logits = model.classify(images, batch);
    int classes = logits.length / batch;
    if (classNames != null && classNames.length != classes) {
      throw new IllegalStateException(
          classNames.length + " class names for a model of " + classes + " classes");
    }
    Object[][] out = new Object[batch][];
    for (int i = 0; i < batch; i++) {
      int best = ClassifierView.argmax(logits, i * classes, classes);
      float[] p = softmax(logits, i * classes, classes);
      out[i] = new Object[] {best, classNames == null ? null : classNames[best], p};
    }
    return out;
  }

  private static float[] softmax(float[] v, int from, int n) {
    double max = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < n; c++) max = Math.max(max, v[from + c]);
    double[] e = new double[n];
    double sum = 0;
    for (int c = 0; c < n; c++) sum += e[c] = Math.exp(v[from + c] - max);
    float[] p = new float[n];
    for (int c = 0; c < n; c++) p[c] = (float) (e[c] / sum);
    return p;
  }
}
