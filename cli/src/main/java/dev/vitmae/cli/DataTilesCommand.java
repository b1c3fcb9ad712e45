package dev.vitmae.cli;

import dev.vitmae.datasets.ImageFolder;
import dev.vitmae.images.ImageDecoder;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
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
 * {@code --dataset folder} (e.g. from the photographs a wallpaper package ships).
 */
@Command(
    name = "tiles",
    mixinStandardHelpOptions = true,
    description = "Cut images into square PNG tiles (a folder to train on with --dataset folder).")
final class DataTilesCommand implements Callable<Integer> {
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
    for (int f = 0; f < files.size(); f++) {
      BufferedImage photo = decoder.read(files.get(f));
      for (int y = 0; y + size <= photo.getHeight(); y += step) {
        for (int x = 0; x + size <= photo.getWidth(); x += step) {
          BufferedImage tile = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
          tile.getGraphics().drawImage(photo.getSubimage(x, y, size, size), 0, 0, null);
          Pictures.writePng(
              tile, out.resolve(String.format(Locale.ROOT, "p%02d-y%05d-x%05d.png", f, y, x)));
          written++;
        }
      }
    }
    log.printf(
        Locale.ROOT,
        "wrote %d tiles of %dx%d from %d images to %s%n",
        written,
        size,
        size,
        files.size(),
        out);
    return 0;
  }
}
