package dev.vitmae.datasets;

import dev.vitmae.images.Augmentation;
import dev.vitmae.images.BadImageException;
import dev.vitmae.images.ImageDecoder;
import dev.vitmae.images.Preprocessing;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Image files in folders, as torchvision's {@code ImageFolder}, read as {@link ImageFolderSource}s.
 *
 * <p>Layouts: {@code DIR/train/<class>/…} and {@code DIR/test/<class>/…} (or flat {@code train/}
 * and {@code test/} folders); a single class tree {@code DIR/<class>/…} or a flat folder of images
 * (unlabelled), split by a seeded {@link Builder#testFraction test fraction} (per class). Class
 * names are the folder names, sorted; class folders are searched recursively. Extensions {@code jpg
 * jpeg png bmp gif} match case-insensitively; hidden files and folders (name starting with a dot)
 * are skipped; symbolic links are followed, a link back to an ancestor is detected and skipped, so
 * a loop cannot hang the walk.
 *
 * <pre>{@code
 * DatasetSplits splits = ImageFolder.builder(Path.of("photos")).imageSize(32).channels(3)
 *     .testFraction(0.1).seed(1).augment(Augmentation.mae()).skipBadImages(true).build();
 * }</pre>
 */
public final class ImageFolder {
  /** Recognised extensions, lower case. */
  public static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "gif");

  private ImageFolder() {}

  /** A builder for the images under {@code dir}. */
  public static Builder builder(Path dir) {
    return new Builder(dir, null);
  }

  /**
   * A builder for exactly these images, unlabelled (serving {@code --images DIR_OR_FILES}): each
   * file is taken as given, each folder contributes its image files recursively (sorted, hidden
   * ones skipped, loops skipped), in argument order.
   */
  public static Builder builderForFiles(List<Path> filesOrDirs) {
    if (filesOrDirs.isEmpty())
      throw new IllegalArgumentException("no image files or folders given");
    return new Builder(filesOrDirs.get(0), List.copyOf(filesOrDirs));
  }

  /**
   * The image files of {@code filesOrDirs}: files as given, folders walked recursively.
   *
   * @throws NoSuchFileException naming a path that does not exist
   */
  public static List<Path> imageFiles(List<Path> filesOrDirs) throws IOException {
    List<Path> out = new ArrayList<>();
    for (Path p : filesOrDirs) {
      if (Files.isDirectory(p)) {
        out.addAll(walk(p));
      } else if (Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        out.add(p);
      } else {
        throw new NoSuchFileException(p.toString(), null, "no such image file or folder");
      }
    }
    return out;
  }

  /** Options of {@link #builder(Path)}; every one has a default but the image size. */
  public static final class Builder {
    private final Path dir;
    private int imageSize;
    private int channels = 3;
    private Preprocessing.Resize resize = Preprocessing.Resize.SHORTER_SIDE_CENTER_CROP;
    private int background = ImageDecoder.WHITE;
    private long maxPixels = ImageDecoder.DEFAULT_MAX_PIXELS;
    private double testFraction;
    private long seed = 1;
    private Augmentation augmentation;
    private boolean cacheInMemory;
    private boolean skipBadImages;
    private int threads = Runtime.getRuntime().availableProcessors();

    private final List<Path> explicit;

    private Builder(Path dir, List<Path> explicit) {
      this.dir = Objects.requireNonNull(dir, "dir");
      this.explicit = explicit;
    }

    /** Side of the square model input (required). */
    public Builder imageSize(int size) {
      this.imageSize = size;
      return this;
    }

    /** 3 (RGB, default) or 1 (gray). */
    public Builder channels(int c) {
      this.channels = c;
      return this;
    }

    /** Image size, channels, resize and background from a recorded preprocessing. */
    public Builder preprocessing(Preprocessing p) {
      imageSize = p.imageSize();
      channels = p.channels();
      resize = p.resize();
      background = p.background();
      return this;
    }

    public Builder resize(Preprocessing.Resize mode) {
      this.resize = Objects.requireNonNull(mode, "resize");
      return this;
    }

    /** 0xRRGGBB behind transparent pixels (default white). */
    public Builder background(int rgb) {
      this.background = rgb;
      return this;
    }

    /**
     * Largest width × height a header may claim (default {@link ImageDecoder#DEFAULT_MAX_PIXELS}).
     */
    public Builder maxPixels(long max) {
      this.maxPixels = max;
      return this;
    }

    /** Fraction of each class held out as the test split, in [0, 1) (default 0: none). */
    public Builder testFraction(double fraction) {
      this.testFraction = fraction;
      return this;
    }

    /** Seed of the test split (default 1). */
    public Builder seed(long s) {
      this.seed = s;
      return this;
    }

    /** Training augmentation of the train split's {@code forEpoch} views (default none). */
    public Builder augment(Augmentation a) {
      this.augmentation = a;
      return this;
    }

    /** Keep every decoded image in memory after its first read (small datasets). */
    public Builder cacheInMemory(boolean cache) {
      this.cacheInMemory = cache;
      return this;
    }

    /**
     * Decode every file at build time (in parallel) and exclude those that fail, listed in {@link
     * ImageFolderSource#badImages()}. Off by default: a bad file then fails {@code fill}.
     */
    public Builder skipBadImages(boolean skip) {
      this.skipBadImages = skip;
      return this;
    }

    /** Threads of the build-time check (default: available processors). */
    public Builder threads(int n) {
      this.threads = n;
      return this;
    }

    /**
     * Walks the folder and returns the splits; the test split is present for a {@code test/} folder
     * or a positive test fraction.
     *
     * @throws IOException when the folder is missing or holds no images, the layout is ambiguous,
     *     or (with skip-bad-images) every image is bad
     * @throws IllegalArgumentException for an invalid option
     */
    public DatasetSplits build() throws IOException {
      if (imageSize < 1)
        throw new IllegalArgumentException("imageSize is required (>= 1), got " + imageSize);
      if (!(testFraction >= 0 && testFraction < 1)) {
        throw new IllegalArgumentException("testFraction must be in [0, 1), got " + testFraction);
      }
      if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
      Preprocessing p = new Preprocessing(imageSize, channels, resize, background);
      ImageDecoder decoder = new ImageDecoder(maxPixels, background);
      if (explicit != null) return explicitSplits(p, decoder);
      if (!Files.isDirectory(dir))
        throw new NoSuchFileException(dir.toString(), null, "not a directory");
      Path trainDir = dir.resolve("train");
      Path testDir = dir.resolve("test");
      Listing train;
      Listing test = null;
      if (Files.isDirectory(trainDir)) {
        if (testFraction > 0) {
          throw new IllegalArgumentException(
              dir
                  + " has a train/ folder: its test/ folder is the "
                  + "test split, a test fraction does not apply");
        }
        train = scan(trainDir);
        if (Files.isDirectory(testDir)) test = scan(testDir).relabel(train, testDir);
      } else {
        Listing all = scan(dir);
        if (testFraction > 0) {
          Listing[] parts = all.split(testFraction, seed);
          train = parts[0];
          test = parts[1];
        } else {
          train = all;
        }
      }
      String base = dir.getFileName() == null ? dir.toString() : dir.getFileName().toString();
      ImageFolderSource trainSource = source(base + "-train", train, p, decoder, augmentation);
      ImageFolderSource testSource =
          test == null || test.files.isEmpty()
              ? null
              : source(base + "-test", test, p, decoder, null);
      return new DatasetSplits(trainSource, testSource);
    }

    private DatasetSplits explicitSplits(Preprocessing p, ImageDecoder decoder) throws IOException {
      List<Path> files = imageFiles(explicit);
      if (files.isEmpty()) throw new IOException(explicit + " hold no images");
      Listing all = new Listing(files, null, List.of());
      Listing[] parts =
          testFraction > 0 ? all.split(testFraction, seed) : new Listing[] {all, null};
      ImageFolderSource train = source("images", parts[0], p, decoder, augmentation);
      ImageFolderSource test =
          parts[1] == null || parts[1].files.isEmpty()
              ? null
              : source("images-test", parts[1], p, decoder, null);
      return new DatasetSplits(train, test);
    }

    private ImageFolderSource source(
        String name, Listing l, Preprocessing p, ImageDecoder decoder, Augmentation aug)
        throws IOException {
      Map<Integer, BufferedImage> cache = cacheInMemory ? ImageFolderSource.newCache() : null;
      BadImageReport report = BadImageReport.none();
      if (skipBadImages) {
        String[] reasons = new String[l.files.size()];
        BufferedImage[] images = new BufferedImage[l.files.size()];
        List<Path> files = l.files;
        ForkJoinPool pool = new ForkJoinPool(threads);
        try {
          pool.submit(
                  () ->
                      IntStream.range(0, reasons.length)
                          .parallel()
                          .forEach(
                              i -> {
                                try {
                                  BufferedImage image = decoder.read(files.get(i));
                                  if (cacheInMemory) images[i] = image;
                                } catch (BadImageException e) {
                                  reasons[i] = e.reason();
                                }
                              }))
              .get();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException(name + ": interrupted while checking images", e);
        } catch (java.util.concurrent.ExecutionException e) {
          throw new IOException(name + ": checking images failed: " + e.getCause(), e.getCause());
        } finally {
          pool.shutdownNow();
        }
        List<BadImageReport.BadImage> bad = new ArrayList<>();
        List<Path> good = new ArrayList<>();
        List<Integer> goodLabels = new ArrayList<>();
        for (int i = 0; i < reasons.length; i++) {
          if (reasons[i] != null) {
            bad.add(new BadImageReport.BadImage(l.files.get(i), reasons[i]));
            continue;
          }
          if (cacheInMemory) cache.put(good.size(), images[i]);
          good.add(l.files.get(i));
          if (l.labels != null) goodLabels.add(l.labels[i]);
        }
        report = new BadImageReport(reasons.length, bad);
        if (good.isEmpty()) throw new IOException(name + ": every image is bad: " + report);
        l =
            new Listing(
                good,
                l.labels == null ? null : goodLabels.stream().mapToInt(Integer::intValue).toArray(),
                l.classes);
      }
      return new ImageFolderSource(
          name, l.files, l.labels, l.classes, p, decoder, aug, cache, report);
    }
  }

  /** Files found, with labels (null when flat) and class names. */
  private record Listing(List<Path> files, int[] labels, List<String> classes) {
    /** {@code this} (a test folder) labelled with {@code train}'s class ids. */
    Listing relabel(Listing train, Path where) throws IOException {
      if ((labels == null) != (train.labels == null)) {
        throw new IOException(where + ": train/ and test/ must both be class folders or both flat");
      }
      if (labels == null) return this;
      int[] ids = new int[labels.length];
      for (int i = 0; i < ids.length; i++) {
        String c = classes.get(labels[i]);
        ids[i] = train.classes.indexOf(c);
        if (ids[i] < 0) {
          throw new IOException(
              where + ": class folder '" + c + "' has no counterpart in train/ " + train.classes);
        }
      }
      return new Listing(files, ids, train.classes);
    }

    /** {train, test}: {@code fraction} of each class (rounded) to test, chosen by {@code seed}. */
    Listing[] split(double fraction, long seed) {
      int groups = labels == null ? 1 : classes.size();
      List<Path> trainFiles = new ArrayList<>();
      List<Path> testFiles = new ArrayList<>();
      List<Integer> trainLabels = new ArrayList<>();
      List<Integer> testLabels = new ArrayList<>();
      boolean[] toTest = new boolean[files.size()];
      for (int g = 0; g < groups; g++) {
        List<Integer> members = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) if (labels == null || labels[i] == g) members.add(i);
        SplittableRandom random = new SplittableRandom(seed * 1_000_003L + g);
        for (int i = members.size() - 1; i > 0; i--) { // Fisher-Yates
          int j = random.nextInt(i + 1);
          members.set(i, members.set(j, members.get(i)));
        }
        int n = (int) Math.min(members.size() - 1, Math.round(fraction * members.size()));
        for (int k = 0; k < n; k++) toTest[members.get(k)] = true;
      }
      for (int i = 0; i < files.size(); i++) {
        (toTest[i] ? testFiles : trainFiles).add(files.get(i));
        if (labels != null) (toTest[i] ? testLabels : trainLabels).add(labels[i]);
      }
      return new Listing[] {
        new Listing(trainFiles, ints(trainLabels), classes),
        new Listing(testFiles, ints(testLabels), classes)
      };
    }

    private int[] ints(List<Integer> l) {
      return labels == null ? null : l.stream().mapToInt(Integer::intValue).toArray();
    }
  }

  /** A class tree (subfolders with images) or a flat folder of images. */
  private static Listing scan(Path root) throws IOException {
    List<Path> topFiles = new ArrayList<>();
    Map<String, List<Path>> classes = new TreeMap<>();
    try (Stream<Path> children = Files.list(root)) {
      for (Path child : children.sorted().toList()) {
        if (hidden(child)) continue;
        if (Files.isDirectory(child)) {
          List<Path> images = walk(child);
          if (!images.isEmpty()) classes.put(child.getFileName().toString(), images);
        } else if (isImageName(child)) {
          topFiles.add(child);
        }
      }
    }
    if (!classes.isEmpty() && !topFiles.isEmpty()) {
      throw new IOException(
          root
              + " mixes "
              + topFiles.size()
              + " image files (e.g. "
              + topFiles.get(0).getFileName()
              + ") with class folders "
              + classes.keySet()
              + ": move the files into a class folder, or the folders away for an unlabelled set");
    }
    if (classes.isEmpty()) {
      if (topFiles.isEmpty()) {
        throw new IOException(
            root
                + " holds no images ("
                + String.join(", ", EXTENSIONS.stream().sorted().toList())
                + ") and no class folders with images");
      }
      return new Listing(topFiles, null, List.of());
    }
    List<Path> files = new ArrayList<>();
    List<String> names = new ArrayList<>(classes.keySet());
    int[] labels = new int[classes.values().stream().mapToInt(List::size).sum()];
    for (int c = 0; c < names.size(); c++) {
      for (Path f : classes.get(names.get(c))) {
        labels[files.size()] = c;
        files.add(f);
      }
    }
    return new Listing(files, labels, names);
  }

  /** Image files under {@code dir}, recursively, sorted; links followed, loops skipped. */
  private static List<Path> walk(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    Files.walkFileTree(
        dir,
        EnumSet.of(FileVisitOption.FOLLOW_LINKS),
        Integer.MAX_VALUE,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
            return !d.equals(dir) && hidden(d)
                ? FileVisitResult.SKIP_SUBTREE
                : FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
            if (!attrs.isDirectory() && !hidden(f) && isImageName(f)) out.add(f);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path f, IOException e) {
            // A loop is skipped; another unreadable entry named like an image is kept so that
            // decoding reports it (or skip-bad-images lists it).
            if (!(e instanceof FileSystemLoopException) && !hidden(f) && isImageName(f)) out.add(f);
            return FileVisitResult.CONTINUE;
          }
        });
    out.sort(null);
    return out;
  }

  static boolean isImageName(Path p) {
    String n = p.getFileName().toString();
    int dot = n.lastIndexOf('.');
    return dot > 0 && EXTENSIONS.contains(n.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  private static boolean hidden(Path p) {
    Path name = p.getFileName();
    return name != null && name.toString().startsWith(".");
  }
}
