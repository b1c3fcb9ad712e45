package dev.vitmae.cli;

import dev.vitmae.datasets.AtomicFiles;
import dev.vitmae.datasets.ImageFolder;
import dev.vitmae.images.ImageDecoder;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vitmae data tiles}: cuts large photographs into square PNG tiles, a training folder for
 * {@code --dataset folder} (e.g. from the photographs a wallpaper package ships). Each tile is
 * named after its photograph and position, {@code p<photo#>-<photo name>-y<Y>-x<X>.png}, and
 * {@value #MANIFEST} in the same folder lists every tile's source file and pixel offset (folder
 * datasets read only image files, so it does not get in the way).
 */
@Command(
    name = "tiles",
    mixinStandardHelpOptions = true,
    description = {
      "Cut images into square PNG tiles (a folder to train on with --dataset folder).",
      "Tiles are named p<photo#>-<photo name>-y<Y>-x<X>.png; "
          + DataTilesCommand.MANIFEST
          + " lists each tile's source file and offset."
    })
final class DataTilesCommand implements Callable<Integer> {
  /** The manifest written beside the tiles: {@code tile,source,x,y,size}. */
  static final String MANIFEST = "tiles.csv";

  @Option(
      names = "--images",
      required = true,
      arity = "1..*",
      paramLabel = "FILE_OR_DIR",
      description = "Photographs (JPEG, PNG, BMP, GIF), files or folders.")
  private List<Path> images;

  @Option(
      names = "--size",
      defaultValue = "128",
      paramLabel = "PX",
      description = "Tile side (default: ${DEFAULT-VALUE}).")
  private int size;

  @Option(
      names = "--stride",
      paramLabel = "PX",
      description = "Step between tiles (default: the tile side).")
  private Integer stride;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Where the tiles go (flat, unlabelled).")
  private Path out;

  @Spec private CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    int step = stride == null ? size : stride;
    if (size < 1 || step < 1)
      throw new IllegalArgumentException("--size and --stride must be positive");
    PrintWriter log = spec.commandLine().getOut();
    ImageDecoder decoder = ImageDecoder.defaults();
    int written = 0;
    List<Path> files = ImageFolder.imageFiles(images);
    String number = "p%0" + Math.max(2, Integer.toString(files.size() - 1).length()) + "d-";
    StringBuilder manifest = new StringBuilder("tile,source,x,y,size\n");
    for (int f = 0; f < files.size(); f++) {
      BufferedImage photo = decoder.read(files.get(f));
      String prefix = String.format(Locale.ROOT, number, f) + stem(files.get(f));
      for (int y = 0; y + size <= photo.getHeight(); y += step) {
        for (int x = 0; x + size <= photo.getWidth(); x += step) {
          BufferedImage tile = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
          tile.getGraphics().drawImage(photo.getSubimage(x, y, size, size), 0, 0, null);
          String name = String.format(Locale.ROOT, "%s-y%05d-x%05d.png", prefix, y, x);
          Pictures.writePng(tile, out.resolve(name));
          manifest.append(
              String.format(
                  Locale.ROOT,
                  "%s,%s,%d,%d,%d\n",
                  name,
                  ImageCsv.csvField(files.get(f).toAbsolutePath().toString()),
                  x,
                  y,
                  size));
          written++;
        }
      }
    }
    byte[] manifestBytes = manifest.toString().getBytes(StandardCharsets.UTF_8);
    AtomicFiles.write(out.resolve(MANIFEST), o -> o.write(manifestBytes));
    log.printf(
        Locale.ROOT,
        "wrote %d tiles of %dx%d from %d images to %s (sources in %s)%n",
        written,
        size,
        size,
        files.size(),
        out,
        MANIFEST);
    return 0;
  }

  /**
   * The file name without its extension, with characters other than letters, digits, . _ - as _.
   */
  static String stem(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return (dot > 0 ? name.substring(0, dot) : name).replaceAll("[^A-Za-z0-9._-]", "_");
  }
}
