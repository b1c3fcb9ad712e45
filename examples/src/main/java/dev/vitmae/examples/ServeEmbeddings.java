package dev.vitmae.examples;

import dev.vitmae.runtime.Embeddings;
import dev.vitmae.runtime.ModelInfo;
import dev.vitmae.runtime.ModelOptions;
import dev.vitmae.runtime.VitModel;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Serving embeddings from an existing {@code encoder.onnx} with the runtime alone (no ND4J on this
 * path): one shared, thread-safe model, batches from several threads, cosine similarity.
 *
 * <p>{@code java dev.vitmae.examples.ServeEmbeddings ENCODER.onnx}
 */
public final class ServeEmbeddings {
  private ServeEmbeddings() {}

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args.length > 0 ? args[0] : "quickstart/onnx/encoder.onnx");
    try (VitModel encoder = VitModel.open(file, ModelOptions.defaults())) {
      ModelInfo info = encoder.info();
      System.out.printf(
          Locale.ROOT,
          "%s: %s, %d×%d×%d images, %d patches, on %s%n",
          file,
          info.kind(),
          info.channels(),
          info.imageSize(),
          info.imageSize(),
          info.numPatches(),
          encoder.executionProvider());
      int batch = 8;
      float[] images = new float[batch * info.valuesPerImage()];
      for (int i = 0; i < images.length; i++) images[i] = (i % 97) / 96f;
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        Future<Embeddings> a = pool.submit(() -> encoder.encoder().embed(images, batch));
        Future<Embeddings> b = pool.submit(() -> encoder.encoder().embed(images, batch));
        Embeddings e = a.get();
        System.out.printf(
            Locale.ROOT,
            "%d embeddings of dim %d; cos(0, 1) = %.4f; threads agree: %b%n",
            e.batch(),
            e.dim(),
            cosine(e.embedding(), 0, 1, e.dim()),
            java.util.Arrays.equals(e.embedding(), b.get().embedding()));
      } finally {
        pool.shutdown();
      }
    }
  }

  static double cosine(float[] rows, int i, int j, int dim) {
    double dot = 0;
    double ni = 0;
    double nj = 0;
    for (int k = 0; k < dim; k++) {
      double x = rows[i * dim + k];
      double y = rows[j * dim + k];
      dot += x * y;
      ni += x * x;
      nj += y * y;
    }
    return dot / Math.sqrt(ni * nj);
  }
}
