package dev.vitmae.spark;

import dev.vitmae.runtime.ModelView;
import dev.vitmae.runtime.VitModel;
import java.io.Serializable;
import java.nio.FloatBuffer;

/**
 * What a transformer computes on one batch of pixels, on an executor, through the runtime's view of
 * its model kind.
 *
 * @param <V> the view the kernel runs on
 */
interface Kernel<V extends ModelView> extends Serializable {

  /** The kernel's view of {@code model} (the runtime checks the kind). */
  V view(VitModel model);

  /**
   * The output values of each image, in the order of the transformer's output columns (the error
   * column excluded): {@code [batch][columns]}.
   *
   * @param images {@code batch × C×H×W} pixels from position 0, a direct native-order buffer
   */
  Object[][] run(V model, FloatBuffer images, int batch);

  /** {@link #run} on {@link #view}{@code (model)}. */
  default Object[][] runOn(VitModel model, FloatBuffer images, int batch) {
    return run(view(model), images, batch);
  }
}
