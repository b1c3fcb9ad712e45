package dev.vitmae.datasets;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Forked by {@link BatchLoaderTest}: reads a folder through a {@link BatchLoader}. */
public final class LoaderHeapMain {
  private LoaderHeapMain() {}

  public static void main(String[] args) throws Exception {
    ImageSource train =
        ImageFolder.builder(Path.of(args[0]))
            .imageSize(80)
            .channels(3)
            .cacheInMemory(Boolean.parseBoolean(args[1]))
            .build()
            .train();
    List<int[]> batches = new ArrayList<>();
    for (int from = 0; from < train.count(); from += 16) {
      int[] b = new int[Math.min(16, train.count() - from)];
      for (int k = 0; k < b.length; k++) b[k] = from + k;
      batches.add(b);
    }
    long images = 0;
    double sum = 0;
    try (BatchLoader loader = BatchLoader.open(train, batches, 2, 4)) {
      while (loader.hasNext()) {
        BatchLoader.Batch b = loader.next();
        images += b.indices().length;
        sum += b.images()[0];
      }
    }
    System.out.println(
        "read "
            + images
            + " images, checksum "
            + sum
            + ", max heap "
            + Runtime.getRuntime().maxMemory() / (1 << 20)
            + " MB");
  }
}
