package dev.vitmae.images;

import dev.vitmae.contract.MetadataKey;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How an image of any size becomes model input: the one implementation that training, evaluation,
 * export metadata and serving share.
 *
 * <p>{@link #apply(BufferedImage)} composites alpha on {@code background}, converts channels (gray
 * → RGB by replication; RGB → gray by the ITU-R BT.601 luma {@code 0.299 R + 0.587 G + 0.114 B},
 * unrounded), then resizes with {@link Resize}: by default the shorter side to {@code imageSize}
 * and a centre crop, as torchvision's {@code Resize(imageSize)} + {@code CenterCrop(imageSize)},
 * with PIL/torchvision's antialiased bilinear filter (a triangle filter whose support grows with
 * the downscale factor). Output: {@code [channels, imageSize, imageSize]} float32 in [0, 1], CHW.
 * An image already {@code imageSize} square comes out as exactly its 8-bit pixels / 255.
 *
 * <p>{@link #toMetadata()} / {@link #fromMetadata(Map)} round-trip it through the {@code
 * vitmae.preprocessing.*} keys of checkpoints and ONNX models. Immutable and thread-safe.
 *
 * @param imageSize side of the square output, pixels
 * @param channels 1 (gray) or 3 (RGB)
 * @param resize how the image is brought to {@code imageSize × imageSize}
 * @param background 0xRRGGBB that transparent pixels are composited onto
 */
public record Preprocessing(int imageSize, int channels, Resize resize, int background) {

  /** The only interpolation: PIL/torchvision's antialiased bilinear. */
  public static final String INTERPOLATION = "bilinear-antialias";

  /** How the image is brought to the square model size. */
  public enum Resize {
    /** Shorter side to the size (aspect kept), then the centre square: torchvision's default. */
    SHORTER_SIDE_CENTER_CROP("shorter-side-center-crop"),
    /** Both sides to the size, aspect ratio not kept, nothing cropped. */
    STRETCH("stretch");

    private final String key;

    Resize(String key) {
      this.key = key;
    }

    /** The metadata value, e.g. {@code shorter-side-center-crop}. */
    public String key() {
      return key;
    }

    /** The mode whose {@link #key()} is {@code key}. */
    public static Resize ofKey(String key) {
      for (Resize r : values()) if (r.key.equals(key)) return r;
      throw new IllegalArgumentException(
          "unknown resize mode '"
              + key
              + "'; known: "
              + SHORTER_SIDE_CENTER_CROP.key
              + ", "
              + STRETCH.key);
    }
  }

  public Preprocessing {
    if (imageSize < 1)
      throw new IllegalArgumentException("imageSize must be >= 1, got " + imageSize);
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException("channels must be 1 (gray) or 3 (RGB), got " + channels);
    }
    Objects.requireNonNull(resize, "resize");
    if ((background & ~0xFFFFFF) != 0) {
      throw new IllegalArgumentException(
          String.format("background must be 0xRRGGBB (0..0xFFFFFF), got 0x%X", background));
    }
  }

  /** Shorter side + centre crop to {@code imageSize}, white background. */
  public static Preprocessing of(int imageSize, int channels) {
    return new Preprocessing(
        imageSize, channels, Resize.SHORTER_SIDE_CENTER_CROP, ImageDecoder.WHITE);
  }

  public Preprocessing withResize(Resize mode) {
    return new Preprocessing(imageSize, channels, mode, background);
  }

  public Preprocessing withBackground(int rgb) {
    return new Preprocessing(imageSize, channels, resize, rgb);
  }

  /** Floats per output image: {@code channels × imageSize²}. */
  public int valuesPerImage() {
    return channels * imageSize * imageSize;
  }

  /** The default decoder with this background. */
  public ImageDecoder decoder() {
    return ImageDecoder.defaults().withBackground(background);
  }

  /**
   * Decodes a file with {@link #decoder()} and preprocesses it.
   *
   * @throws BadImageException naming the file when it cannot be decoded
   */
  public float[] apply(Path file) throws BadImageException {
    return apply(decoder().read(file));
  }

  /** {@code image} as a new {@code [channels, imageSize, imageSize]} array. */
  public float[] apply(BufferedImage image) {
    float[] out = new float[valuesPerImage()];
    apply(image, out, 0);
    return out;
  }

  /** Writes {@code image} preprocessed into {@code dst} from {@code offset}. */
  public void apply(BufferedImage image, float[] dst, int offset) {
    checkDst(dst, offset);
    BufferedImage opaque = ImageDecoder.opaque(image, background);
    int w = opaque.getWidth();
    int h = opaque.getHeight();
    Resampler.Kernel kx;
    Resampler.Kernel ky;
    if (resize == Resize.STRETCH) {
      kx = Resampler.kernel(0, w, imageSize, 0, imageSize);
      ky = Resampler.kernel(0, h, imageSize, 0, imageSize);
    } else {
      // torchvision Resize(size): the shorter side becomes size, the longer int(size * long /
      // short).
      int newW = w <= h ? imageSize : (int) ((double) imageSize * w / h);
      int newH = w <= h ? (int) ((double) imageSize * h / w) : imageSize;
      // torchvision CenterCrop: offsets int(round((new - size) / 2)), round half to even.
      int top = (int) Math.rint((newH - imageSize) / 2.0);
      int left = (int) Math.rint((newW - imageSize) / 2.0);
      kx = Resampler.kernel(0, w, newW, left, imageSize);
      ky = Resampler.kernel(0, h, newH, top, imageSize);
    }
    write(opaque, kx, ky, false, dst, offset);
  }

  /**
   * Writes the {@code crop} region of {@code image} resized to {@code imageSize²} (aspect not kept,
   * as torchvision's {@code resized_crop}) and mirrored if {@code crop.flip()}: the augmented view
   * of {@link Augmentation}.
   *
   * @throws IllegalArgumentException if the crop lies outside the image
   */
  public void apply(BufferedImage image, Crop crop, float[] dst, int offset) {
    checkDst(dst, offset);
    crop.checkInside(image.getWidth(), image.getHeight());
    BufferedImage opaque = ImageDecoder.opaque(image, background);
    Resampler.Kernel kx = Resampler.kernel(crop.left(), crop.width(), imageSize, 0, imageSize);
    Resampler.Kernel ky = Resampler.kernel(crop.top(), crop.height(), imageSize, 0, imageSize);
    write(opaque, kx, ky, crop.flip(), dst, offset);
  }

  /** Draws {@code augmentation}'s crop for {@code image} from {@code random} and applies it. */
  public void applyAugmented(
      BufferedImage image,
      Augmentation augmentation,
      java.util.SplittableRandom random,
      float[] dst,
      int offset) {
    apply(image, augmentation.sample(image.getWidth(), image.getHeight(), random), dst, offset);
  }

  private void write(
      BufferedImage opaque,
      Resampler.Kernel kx,
      Resampler.Kernel ky,
      boolean flip,
      float[] dst,
      int offset) {
    int plane = imageSize * imageSize;
    Resampler.Rows rows = ImageRows.of(opaque, channels);
    Resampler.resample(rows, kx, ky, dst, offset);
    if (flip) Resampler.mirror(dst, offset, rows.channels(), imageSize);
    if (rows.channels() == 1 && channels == 3) {
      System.arraycopy(dst, offset, dst, offset + plane, plane);
      System.arraycopy(dst, offset, dst, offset + 2 * plane, plane);
    }
  }

  private void checkDst(float[] dst, int offset) {
    if (offset < 0 || (long) offset + valuesPerImage() > dst.length) {
      throw new IndexOutOfBoundsException(
          "dst holds "
              + dst.length
              + " floats, an image of "
              + valuesPerImage()
              + " does not fit from offset "
              + offset);
    }
  }

  /** The {@code vitmae.preprocessing.*} keys that {@link #fromMetadata(Map)} reads back. */
  public Map<String, String> toMetadata() {
    Map<String, String> m = new LinkedHashMap<>();
    MetadataKey.PREPROCESSING_IMAGE_SIZE.put(m, imageSize);
    MetadataKey.PREPROCESSING_CHANNELS.put(m, channels);
    MetadataKey.PREPROCESSING_RESIZE.put(m, resize.key());
    MetadataKey.PREPROCESSING_INTERPOLATION.put(m, INTERPOLATION);
    MetadataKey.PREPROCESSING_BACKGROUND.put(m, String.format("#%06X", background));
    MetadataKey.PREPROCESSING_GRAY_TO_RGB.put(m, "replicate");
    MetadataKey.PREPROCESSING_RGB_TO_GRAY.put(m, "bt601-luma");
    MetadataKey.PREPROCESSING_OUTPUT.put(m, "chw-float32-0-1");
    MetadataKey.PREPROCESSING_DESCRIPTION.put(m, toString());
    return m;
  }

  /** Whether {@code metadata} holds a recorded preprocessing. */
  public static boolean isRecordedIn(Map<String, String> metadata) {
    return MetadataKey.PREPROCESSING_IMAGE_SIZE.in(metadata);
  }

  /**
   * The preprocessing recorded by {@link #toMetadata()}; other keys are ignored.
   *
   * @throws IllegalArgumentException naming the key when a value is missing, malformed, or asks for
   *     something this version does not implement
   */
  public static Preprocessing fromMetadata(Map<String, String> metadata) {
    int size = MetadataKey.PREPROCESSING_IMAGE_SIZE.require(metadata);
    int channels = MetadataKey.PREPROCESSING_CHANNELS.require(metadata);
    Resize resize =
        Resize.ofKey(
            MetadataKey.PREPROCESSING_RESIZE
                .get(metadata)
                .orElse(Resize.SHORTER_SIDE_CENTER_CROP.key()));
    String interpolation =
        MetadataKey.PREPROCESSING_INTERPOLATION.get(metadata).orElse(INTERPOLATION);
    if (!interpolation.equals(INTERPOLATION)) {
      throw new IllegalArgumentException(
          MetadataKey.PREPROCESSING_INTERPOLATION
              + " = '"
              + interpolation
              + "' is not supported; this version implements "
              + INTERPOLATION);
    }
    String bg = MetadataKey.PREPROCESSING_BACKGROUND.get(metadata).orElse("#FFFFFF");
    if (!bg.matches("#[0-9A-Fa-f]{6}")) {
      throw new IllegalArgumentException(
          MetadataKey.PREPROCESSING_BACKGROUND + " = '" + bg + "' is not #RRGGBB");
    }
    return new Preprocessing(size, channels, resize, Integer.parseInt(bg.substring(1), 16));
  }

  /** E.g. {@code Resize(32, shorter side) + CenterCrop(32) -> RGB [3, 32, 32] in [0, 1] ...}. */
  @Override
  public String toString() {
    String geometry =
        resize == Resize.STRETCH
            ? String.format("Resize((%d, %d))", imageSize, imageSize)
            : String.format("Resize(%d) + CenterCrop(%d)", imageSize, imageSize);
    return String.format(
        Locale.ROOT,
        "%s bilinear antialias -> %s [%d, %d, %d] float32 in [0, 1]; alpha on #%06X; %s",
        geometry,
        channels == 3 ? "RGB" : "gray",
        channels,
        imageSize,
        imageSize,
        background,
        channels == 3 ? "gray replicated" : "RGB to BT.601 luma");
  }
}
