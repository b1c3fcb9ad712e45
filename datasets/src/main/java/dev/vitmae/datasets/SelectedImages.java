package dev.vitmae.datasets;

import java.util.List;
import java.util.Objects;

/** A view of some images of another source, in a given order ({@link ImageSource#select}). */
final class SelectedImages implements ImageSource {
  private final ImageSource base;
  private final int[] indices;
  private final String name;

  SelectedImages(ImageSource base, int[] indices, String name) {
    this.base = Objects.requireNonNull(base, "base");
    if (indices.length == 0) throw new IllegalArgumentException(base.name() + ": empty selection");
    for (int i : indices) Objects.checkIndex(i, base.count());
    this.indices = indices.clone();
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int count() {
    return indices.length;
  }

  @Override
  public int channels() {
    return base.channels();
  }

  @Override
  public int imageSize() {
    return base.imageSize();
  }

  @Override
  public void fill(int[] idx, float[] dst, int offset) {
    base.fill(map(idx), dst, offset);
  }

  @Override
  public int numClasses() {
    return base.numClasses();
  }

  @Override
  public List<String> classNames() {
    return base.classNames();
  }

  @Override
  public Provenance provenance() {
    return base.provenance();
  }

  @Override
  public int label(int i) {
    return base.label(indices[Objects.checkIndex(i, indices.length)]);
  }

  @Override
  public ImageSource forEpoch(long seed, int epoch) {
    ImageSource view = base.forEpoch(seed, epoch);
    return view == base ? this : new SelectedImages(view, indices, name);
  }

  private int[] map(int[] idx) {
    int[] out = new int[idx.length];
    for (int k = 0; k < idx.length; k++)
      out[k] = indices[Objects.checkIndex(idx[k], indices.length)];
    return out;
  }
}
