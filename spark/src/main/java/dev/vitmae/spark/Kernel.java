package dev.vitmae.spark;

import dev.vitmae.runtime.VitModel;
import java.io.Serializable;
import java.nio.FloatBuffer;

/** What a transformer computes on one batch of pixels, on an executor. */
interface Kernel extends Serializable {

  /**
   * The output values of each image, in the order of the transformer's output columns (the error
   * column excluded): {@code [batch][columns]}.
   *
   * @param images {@code batch × C×H×W} pixels from position 0, a direct native-order buffer
   */
  Object[][] run(VitModel model, FloatBuffer images, int batch);
}
