package dev.vitmae.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitmae.images.Augmentation;
import dev.vitmae.images.Preprocessing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderTest {
  @TempDir Path dir;

  @Test
  void trainAndTestClassFoldersGiveSortedClassNamesAndLabels() throws Exception {
    TestFiles.png(dir.resolve("train/zebra/a.png"), 8, 8, 1);
    TestFiles.png(dir.resolve("train/ant/b.PNG"), 8, 8, 2);
    TestFiles.write(dir.resolve("train/ant/deep/c.JPeG"), TestFiles.rgb(8, 8, 3), "jpeg");
    TestFiles.png(dir.resolve("test/zebra/d.png"), 8, 8, 4);
    DatasetSplits s = ImageFolder.builder(dir).imageSize(8).build();
    ImageSource train = s.train();
    assertEquals(List.of("ant", "zebra"), train.classNames());
    assertEquals(3, train.count());
    assertArrayEquals(new int[] {0, 0, 1}, train.labels());
    assertEquals(1, s.requireTest().count());
    assertArrayEquals(new int[] {1}, s.requireTest().labels());
    assertEquals(List.of("ant", "zebra"), s.requireTest().classNames());
  }

  @Test
  void hiddenFilesOtherExtensionsAndHiddenFoldersAreSkipped() throws Exception {
    TestFiles.png(dir.resolve("cats/a.png"), 4, 4, 1);
    TestFiles.png(dir.resolve("cats/.hidden.png"), 4, 4, 1);
    TestFiles.png(dir.resolve("cats/.thumbs/x.png"), 4, 4, 1);
    Files.writeString(dir.resolve("cats/readme.txt"), "not an image");
    TestFiles.png(dir.resolve(".git/objects/y.png"), 4, 4, 1);
    ImageFolderSource cats =
        (ImageFolderSource) ImageFolder.builder(dir).imageSize(4).build().train();
    assertEquals(List.of(dir.resolve("cats/a.png")), cats.files());
    assertEquals(List.of("cats"), cats.classNames());
  }

  @Test
  void symlinkLoopsCannotHangTheWalk() throws Exception {
    TestFiles.png(dir.resolve("dogs/a.png"), 4, 4, 1);
    Files.createSymbolicLink(dir.resolve("dogs/again"), dir.resolve("dogs"));
    Files.createSymbolicLink(dir.resolve("dogs/up"), dir);
    ImageSource dogs =
        assertTimeoutPreemptively(
            Duration.ofSeconds(20), () -> ImageFolder.builder(dir).imageSize(4).build().train());
    assertEquals(1, dogs.count());
  }

  @Test
  void testFractionSplitsEachClassBySeed() throws Exception {
    for (int i = 0; i < 20; i++) TestFiles.png(dir.resolve("a/" + i + ".png"), 4, 4, i);
    for (int i = 0; i < 10; i++) TestFiles.png(dir.resolve("b/" + i + ".png"), 4, 4, i);
    DatasetSplits s = ImageFolder.builder(dir).imageSize(4).testFraction(0.2).seed(5).build();
    ImageFolderSource train = (ImageFolderSource) s.train();
    ImageFolderSource test = (ImageFolderSource) s.requireTest();
    assertEquals(24, train.count());
    assertEquals(6, test.count());
    assertEquals(
        4, java.util.Arrays.stream(test.labels()).filter(l -> l == 0).count(), "stratified");
    Set<Path> all = new HashSet<>(train.files());
    all.addAll(test.files());
    assertEquals(30, all.size(), "a partition");
    ImageFolderSource again =
        (ImageFolderSource)
            ImageFolder.builder(dir).imageSize(4).testFraction(0.2).seed(5).build().requireTest();
    assertEquals(test.files(), again.files(), "same seed, same split");
    ImageFolderSource other =
        (ImageFolderSource)
            ImageFolder.builder(dir).imageSize(4).testFraction(0.2).seed(6).build().requireTest();
    assertFalse(test.files().equals(other.files()), "another seed, another split");
  }

  @Test
  void aFlatFolderIsUnlabelled() throws Exception {
    for (int i = 0; i < 5; i++) TestFiles.png(dir.resolve("img" + i + ".png"), 6, 4, i);
    ImageSource flat = ImageFolder.builder(dir).imageSize(4).channels(3).build().train();
    assertEquals(5, flat.count());
    assertFalse(flat.hasLabels());
    assertEquals(3 * 16, flat.image(0).length);
  }

  @Test
  void mixedOrEmptyLayoutsAreRefusedWithTheReason() throws Exception {
    Files.createDirectories(dir.resolve("empty"));
    IOException none =
        assertThrows(
            IOException.class,
            () -> ImageFolder.builder(dir.resolve("empty")).imageSize(4).build());
    assertTrue(none.getMessage().contains("holds no images"), none.getMessage());
    TestFiles.png(dir.resolve("mixed/cls/a.png"), 4, 4, 1);
    TestFiles.png(dir.resolve("mixed/top.png"), 4, 4, 1);
    IOException mixed =
        assertThrows(
            IOException.class,
            () -> ImageFolder.builder(dir.resolve("mixed")).imageSize(4).build());
    assertTrue(mixed.getMessage().contains("mixes 1 image files"), mixed.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ImageFolder.builder(dir).build());
  }

  @Test
  void explicitFilesAndFoldersAreServedUnlabelledInArgumentOrder() throws Exception {
    Path one = TestFiles.png(dir.resolve("one.png"), 5, 5, 1);
    Path noExtension = TestFiles.png(dir.resolve("picture"), 5, 5, 2);
    TestFiles.png(dir.resolve("more/b.png"), 5, 5, 3);
    TestFiles.png(dir.resolve("more/a.png"), 5, 5, 4);
    Files.writeString(dir.resolve("more/notes.txt"), "skipped");
    ImageFolderSource s =
        (ImageFolderSource)
            ImageFolder.builderForFiles(List.of(noExtension, dir.resolve("more"), one))
                .imageSize(4)
                .build()
                .train();
    assertEquals(
        List.of(noExtension, dir.resolve("more/a.png"), dir.resolve("more/b.png"), one), s.files());
    assertFalse(s.hasLabels());
    IOException missing =
        assertThrows(
            IOException.class,
            () ->
                ImageFolder.builderForFiles(List.of(dir.resolve("gone.jpg"))).imageSize(4).build());
    assertTrue(missing.getMessage().contains("gone.jpg"), missing.getMessage());
  }

  /** Fashion-MNIST-like bytes written as PNG class folders read back exactly as bytes / 255. */
  @Test
  void idxImagesWrittenAsPngFoldersGiveExactlyTheIdxFloats() throws Exception {
    int count = 40;
    byte[] pixels = new byte[count * 28 * 28];
    new Random(3).nextBytes(pixels);
    byte[] labels = new byte[count];
    for (int i = 0; i < count; i++) labels[i] = (byte) (i % 10);
    Idx.writeImages(dir.resolve("idx/images.idx"), new ImageArray(count, 28, 28, pixels), false);
    Idx.writeLabels(dir.resolve("idx/labels.idx"), labels, false);
    ImageDataset idx =
        ImageDataset.fromIdx(
            "idx",
            dir.resolve("idx/images.idx"),
            dir.resolve("idx/labels.idx"),
            ImageDataset.DIGIT_CLASSES);
    for (int i = 0; i < count; i++) {
      TestFiles.write(
          dir.resolve(String.format("png/train/%d/%05d.png", idx.label(i), i)),
          TestFiles.gray(28, 28, idx.pixels(), i * 784),
          "png");
    }
    ImageFolderSource folder =
        (ImageFolderSource)
            ImageFolder.builder(dir.resolve("png")).imageSize(28).channels(1).build().train();
    assertEquals(count, folder.count());
    for (int k = 0; k < count; k++) {
      int i = Integer.parseInt(folder.file(k).getFileName().toString().replace(".png", ""));
      assertArrayEquals(idx.image(i), folder.image(k), "image " + i);
      assertEquals(idx.label(i), folder.label(k));
    }
  }

  @Test
  void theAugmentedViewIsAPureFunctionOfSeedEpochAndIndex() throws Exception {
    for (int i = 0; i < 3; i++) TestFiles.png(dir.resolve("x/" + i + ".png"), 40, 30, i);
    for (boolean cache : new boolean[] {false, true}) {
      ImageSource train =
          ImageFolder.builder(dir)
              .imageSize(16)
              .augment(Augmentation.mae())
              .cacheInMemory(cache)
              .build()
              .train();
      ImageSource e3 = train.forEpoch(7, 3);
      assertArrayEquals(e3.image(1), train.forEpoch(7, 3).image(1), "resume sees the same pixels");
      assertFalse(java.util.Arrays.equals(e3.image(1), train.forEpoch(7, 4).image(1)));
      assertArrayEquals(
          Preprocessing.of(16, 3).apply(((ImageFolderSource) train).file(1)),
          train.image(1),
          "the source itself is plain preprocessing");
    }
  }

  @Test
  void concurrentFillsAgree() throws Exception {
    for (int i = 0; i < 16; i++) TestFiles.png(dir.resolve("c/" + i + ".png"), 20, 20, i);
    ImageSource s = ImageFolder.builder(dir).imageSize(8).build().train();
    List<float[]> expected = new ArrayList<>();
    for (int i = 0; i < 16; i++) expected.add(s.image(i));
    List<Thread> threads = new ArrayList<>();
    List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int t = 0; t < 4; t++) {
      threads.add(
          new Thread(
              () -> {
                try {
                  for (int i = 0; i < 16; i++) assertArrayEquals(expected.get(i), s.image(i));
                } catch (Throwable e) {
                  errors.add(e);
                }
              }));
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) t.join();
    assertEquals(List.of(), errors);
  }
}
