package dev.vitmae.datasets.masks;

/**
 * Settings of the I-JEPA multi-block mask sampler ({@link MultiBlockMaskSampler}) on a {@code
 * gridHeight x gridWidth} patch grid: {@code nPred} target blocks and {@code nEnc} context blocks,
 * each with a scale range (fraction of the grid) and an aspect-ratio range (height/width). Every
 * block keeps at least {@code minKeep} patches; unless {@code allowOverlap}, context blocks leave
 * out all target patches.
 *
 * @throws IllegalArgumentException from the constructor, naming the first bad setting
 */
public record MultiBlockConfig(
    int gridHeight,
    int gridWidth,
    int nPred,
    double predScaleMin,
    double predScaleMax,
    double predAspectMin,
    double predAspectMax,
    int nEnc,
    double encScaleMin,
    double encScaleMax,
    double encAspectMin,
    double encAspectMax,
    int minKeep,
    boolean allowOverlap) {
  public MultiBlockConfig {
    // Blocks are kept strictly smaller than the grid (as in ijepa), so a side of 1 leaves no room.
    require(
        gridHeight >= 2 && gridWidth >= 2,
        "grid must be at least 2x2, got " + gridHeight + "x" + gridWidth);
    require(nPred >= 1, "nPred must be at least 1, got " + nPred);
    require(nEnc >= 1, "nEnc must be at least 1, got " + nEnc);
    range("pred scale", predScaleMin, predScaleMax, 1);
    range("enc scale", encScaleMin, encScaleMax, 1);
    range("pred aspect", predAspectMin, predAspectMax, Double.MAX_VALUE);
    range("enc aspect", encAspectMin, encAspectMax, Double.MAX_VALUE);
    require(
        minKeep >= 1 && minKeep < gridHeight * gridWidth,
        "minKeep must be in [1, " + gridHeight * gridWidth + "), got " + minKeep);
  }

  /**
   * The I-JEPA ImageNet settings: 4 target blocks of scale (0.15, 0.2) and aspect (0.75, 1.5); 1
   * context block of scale (0.85, 1.0) and aspect 1; no overlap. {@code minKeep} is ijepa's 10 on a
   * 14x14 grid scaled by grid area and at least 1, so a 4x4 grid (28x28 images, patch 7) gets 1.
   */
  public static MultiBlockConfig defaultsFor(int gridH, int gridW) {
    int minKeep = Math.max(1, (int) Math.round(10.0 * gridH * gridW / 196));
    return new MultiBlockConfig(
        gridH, gridW, 4, 0.15, 0.2, 0.75, 1.5, 1, 0.85, 1.0, 1.0, 1.0, minKeep, false);
  }

  /** These settings with {@code nPred} target blocks. */
  public MultiBlockConfig withNPred(int nPred) {
    return toBuilder().nPred(nPred).build();
  }

  public int numPatches() {
    return gridHeight * gridWidth;
  }

  private static void range(String name, double min, double max, double limit) {
    require(
        min > 0 && min <= max && max <= limit,
        name
            + " range must satisfy 0 < min <= max"
            + (limit == 1 ? " <= 1" : "")
            + ", got ("
            + min
            + ", "
            + max
            + ")");
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /** A builder that starts from {@link #defaultsFor} the grid: set what differs, by name. */
  public static Builder builder(int gridH, int gridW) {
    return new Builder(defaultsFor(gridH, gridW));
  }

  /** A builder that starts from this config. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Names every value of a {@link MultiBlockConfig}; {@link #build()} validates (the compact
   * constructor).
   */
  public static final class Builder {
    private int gridHeight;
    private int gridWidth;
    private int nPred;
    private double predScaleMin;
    private double predScaleMax;
    private double predAspectMin;
    private double predAspectMax;
    private int nEnc;
    private double encScaleMin;
    private double encScaleMax;
    private double encAspectMin;
    private double encAspectMax;
    private int minKeep;
    private boolean allowOverlap;

    private Builder(MultiBlockConfig c) {
      gridHeight = c.gridHeight;
      gridWidth = c.gridWidth;
      nPred = c.nPred;
      predScaleMin = c.predScaleMin;
      predScaleMax = c.predScaleMax;
      predAspectMin = c.predAspectMin;
      predAspectMax = c.predAspectMax;
      nEnc = c.nEnc;
      encScaleMin = c.encScaleMin;
      encScaleMax = c.encScaleMax;
      encAspectMin = c.encAspectMin;
      encAspectMax = c.encAspectMax;
      minKeep = c.minKeep;
      allowOverlap = c.allowOverlap;
    }

    public Builder gridHeight(int value) {
      gridHeight = value;
      return this;
    }

    public Builder gridWidth(int value) {
      gridWidth = value;
      return this;
    }

    public Builder nPred(int value) {
      nPred = value;
      return this;
    }

    public Builder predScaleMin(double value) {
      predScaleMin = value;
      return this;
    }

    public Builder predScaleMax(double value) {
      predScaleMax = value;
      return this;
    }

    public Builder predAspectMin(double value) {
      predAspectMin = value;
      return this;
    }

    public Builder predAspectMax(double value) {
      predAspectMax = value;
      return this;
    }

    public Builder nEnc(int value) {
      nEnc = value;
      return this;
    }

    public Builder encScaleMin(double value) {
      encScaleMin = value;
      return this;
    }

    public Builder encScaleMax(double value) {
      encScaleMax = value;
      return this;
    }

    public Builder encAspectMin(double value) {
      encAspectMin = value;
      return this;
    }

    public Builder encAspectMax(double value) {
      encAspectMax = value;
      return this;
    }

    public Builder minKeep(int value) {
      minKeep = value;
      return this;
    }

    public Builder allowOverlap(boolean value) {
      allowOverlap = value;
      return this;
    }

    /** The config; throws {@link IllegalArgumentException} naming the first bad value. */
    public MultiBlockConfig build() {
      return new MultiBlockConfig(
          gridHeight,
          gridWidth,
          nPred,
          predScaleMin,
          predScaleMax,
          predAspectMin,
          predAspectMax,
          nEnc,
          encScaleMin,
          encScaleMax,
          encAspectMin,
          encAspectMax,
          minKeep,
          allowOverlap);
    }
  }
}
