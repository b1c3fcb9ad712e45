package dev.vitmae.runtime;

import ai.onnxruntime.OrtEnvironment;
import java.nio.file.Path;

/**
 * A plain application, forked by {@link NativeLoadingTest}: {@code ServeMain serve|raw <model.onnx>
 * [any arguments]}. {@code serve} opens the model with {@link VitModel} and reconstructs an image
 * on the main thread and on a new default-stack thread; {@code raw} calls {@link
 * OrtEnvironment#getEnvironment()} directly on the main thread (the unprotected path). Prints
 * {@code served <provider>} and, with {@code hold}, waits to be killed.
 */
public final class ServeMain {
  private ServeMain() {}

  public static void main(String[] args) throws Exception {
    if (args[0].equals("raw")) {
      System.out.println("raw " + OrtEnvironment.getEnvironment().getVersion());
      return;
    }
    Path model = Path.of(args[1]);
    serve(model);
    Thread other = new Thread(() -> serve(model), "default-stack");
    other.start();
    other.join();
    System.out.println("served " + OrtNative.nativeLibraryFolder());
    System.out.flush();
    if (java.util.List.of(args).contains("hold")) Thread.sleep(600_000);
  }

  private static void serve(Path model) {
    try (VitModel mae = VitModel.open(model, ModelOptions.defaults().withDevice(Device.CPU))) {
      float[] image = new float[mae.info().valuesPerImage()];
      float[] mask = new float[mae.info().numPatches()];
      mask[0] = 1;
      if (mae.mae().reconstruct(image, mask).length != image.length)
        throw new AssertionError("wrong reconstruction length");
    }
  }
}
