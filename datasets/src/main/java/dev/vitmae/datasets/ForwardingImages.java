package dev.vitmae.datasets;

import java.util.List;
import java.util.Objects;

/**
 * A view of every image of another source, by the same index: everything but the pixels ({@link
 * #fill}) is the source's. The base of the per-epoch views (prefetched, augmented).
 */
abstract class ForwardingImages implements ImageSource {
  protected final ImageSource source;

  ForwardingImages(ImageSource source) {
    this.source = Objects.requireNonNull(source, "source");
  }

  @Override
  public String name() {
    return source.name();
  }

  @Override
  public int count() {
    return source.count();
  }

  @Override
  public int channels() {
    return source.channels();
  }

  @Override
  public int imageSize() {
    return source.imageSize();
  }

  @Override
  public int numClasses() {
    return source.numClasses();
  }

  @Override
  public List<String> classNames() {
    return source.classNames();
  }

  @Override
  public Provenance provenance() {
    return source.provenance();
  }

  @Override
  public int label(int i) {
    return source.label(i);
  }

  @Override
  public int[] labels(int[] indices) {
    return source.labels(indices);
  }
}
