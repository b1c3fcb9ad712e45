package dev.vitmae.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitmae.datasets.ImageFolder;
import dev.vitmae.datasets.ImageFolderSource;
import dev.vitmae.images.BadImageException;
import dev.vitmae.images.Preprocessing;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Serving images and files: the model's preprocessing, shared with training. */
class ImageServingTest {
  @TempDir Path dir;

  @Test
  void withoutRecordedMetadataThePreprocessingFollowsTheInputShape() {
    try (VitModel encoder = Fixtures.open(Fixtures.ENCODER_FROM_MAE)) {
      assertEquals(Preprocessing.of(28, 1), encoder.preprocessing());
      assertTrue(!ModelPreprocessing.isRecorded(encoder.info()));
    }
  }

  @Test
  void servedImagesEqualTheTrainedOnPixelsOfAnImageFolder() throws Exception {
    write(dir.resolve("a/gray28.png"), gray(28, 28), "png");
    write(dir.resolve("a/photo.jpg"), rgb(90, 60, BufferedImage.TYPE_INT_RGB), "jpeg");
    write(dir.resolve("b/alpha.png"), rgb(40, 50, BufferedImage.TYPE_INT_ARGB), "png");
    try (VitModel encoder = Fixtures.open(Fixtures.ENCODER_FROM_MAE)) {
      ImageFolderSource trained =
          (ImageFolderSource)
              ImageFolder.builder(dir).preprocessing(encoder.preprocessing()).build().train();
      assertEquals(3, trained.count());
      for (int i = 0; i < trained.count(); i++) {
        float[] pixels = trained.image(i);
        assertArrayEquals(pixels, encoder.pixels(trained.file(i)), trained.file(i).toString());
        assertArrayEquals(
            encoder.encoder().embed(pixels).embedding(),
            encoder.encoder().embed(trained.file(i)).embedding());
      }
      // A list of files is one batch, through the same pixels adapter as the arrays.
      float[] all = new float[3 * 784];
      for (int i = 0; i < 3; i++) System.arraycopy(trained.image(i), 0, all, i * 784, 784);
      assertArrayEquals(
          encoder.encoder().embed(all, 3).embedding(),
          encoder.encoder().embed(trained.files()).embedding());
    }
  }

  @Test
  void aModelSizedGrayPngIsServedAsItsBytesOver255() throws Exception {
    BufferedImage g = gray(28, 28);
    Path file = write(dir.resolve("g.png"), g, "png");
    float[] expected = new float[784];
    for (int i = 0; i < 784; i++) expected[i] = g.getRaster().getSample(i % 28, i / 28, 0) / 255f;
    try (VitModel encoder = Fixtures.open(Fixtures.ENCODER_FROM_VIT)) {
      assertArrayEquals(expected, encoder.pixels(file));
      assertArrayEquals(
          encoder.encoder().embed(expected).tokens(), encoder.encoder().embed(g).tokens());
    }
  }

  @Test
  void recordedPreprocessingIsReadFromTheOnnxMetadata() {
    Preprocessing recorded = new Preprocessing(28, 1, Preprocessing.Resize.STRETCH, 0x000000);
    byte[] model = withMetadata(Fixtures.bytes(Fixtures.ENCODER_FROM_MAE), recorded.toMetadata());
    try (VitModel encoder = VitModel.open(model, ModelOptions.defaults().withDevice(Device.CPU))) {
      assertEquals(recorded, encoder.preprocessing());
      BufferedImage wide = rgb(56, 28, BufferedImage.TYPE_INT_ARGB);
      assertArrayEquals(recorded.apply(wide), encoder.pixels(wide));
    }
  }

  @Test
  void recordedPreprocessingThatDisagreesWithTheInputIsRefused() {
    byte[] model =
        withMetadata(
            Fixtures.bytes(Fixtures.ENCODER_FROM_MAE), Preprocessing.of(32, 1).toMetadata());
    try (VitModel encoder = VitModel.open(model, ModelOptions.defaults().withDevice(Device.CPU))) {
      InvalidModelException e = assertThrows(InvalidModelException.class, encoder::preprocessing);
      assertTrue(
          e.getMessage().contains("(1x32x32) disagrees with its images input (1x28x28)"),
          e.getMessage());
    }
  }

  @Test
  void classifyReconstructAndBadFiles() throws Exception {
    BufferedImage photo = rgb(70, 50, BufferedImage.TYPE_INT_RGB);
    try (VitModel classifier = Fixtures.open(Fixtures.CLASSIFIER);
        VitModel mae = Fixtures.open(Fixtures.MAE)) {
      assertArrayEquals(
          classifier.classifier().classify(classifier.pixels(photo)),
          classifier.classifier().classify(photo));
      assertEquals(
          classifier.classifier().predict(classifier.pixels(photo)),
          classifier.classifier().predict(photo));
      float[] mask = new float[Fixtures.PATCHES];
      mask[3] = 1;
      Path file = write(dir.resolve("p.png"), photo, "png");
      assertArrayEquals(
          mae.mae().reconstruct(mae.pixels(photo), mask), mae.mae().reconstruct(file, mask));
      Path text = Files.writeString(dir.resolve("text.png"), "not an image");
      BadImageException e =
          assertThrows(BadImageException.class, () -> classifier.classifier().classify(text));
      assertTrue(e.getMessage().startsWith(text + ": not an image"), e.getMessage());
    }
  }

  private static BufferedImage gray(int w, int h) {
    BufferedImage g = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < h; y++)
      for (int x = 0; x < w; x++) g.getRaster().setSample(x, y, 0, (x * 9 + y * 5) % 256);
    return g;
  }

  private static BufferedImage rgb(int w, int h, int type) {
    BufferedImage img = new BufferedImage(w, h, type);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++)
        img.setRGB(
            x,
            y,
            (x * 37 % 256) << 24
                | (x * 3) << 16
                | (y * 4) << 8
                | (x * y % 256)
                | (type == BufferedImage.TYPE_INT_RGB ? 0xFF000000 : 0));
    }
    return img;
  }

  private static Path write(Path file, BufferedImage img, String format) throws Exception {
    Files.createDirectories(file.getParent());
    assertTrue(ImageIO.write(img, format, file.toFile()), format);
    return file;
  }

  /** The model with {@code metadata} appended as {@code metadata_props} (field 14) entries. */
  static byte[] withMetadata(byte[] model, Map<String, String> metadata) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(model);
    metadata.forEach(
        (k, v) -> {
          byte[] entry =
              concat(
                  field(1, k.getBytes(StandardCharsets.UTF_8)),
                  field(2, v.getBytes(StandardCharsets.UTF_8)));
          out.writeBytes(field(14, entry));
        });
    return out.toByteArray();
  }

  private static byte[] field(int number, byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    varint(out, number << 3 | 2);
    varint(out, data.length);
    out.writeBytes(data);
    return out.toByteArray();
  }

  private static void varint(ByteArrayOutputStream out, long v) {
    while ((v & ~0x7FL) != 0) {
      out.write((int) (v & 0x7F) | 0x80);
      v >>>= 7;
    }
    out.write((int) v);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
