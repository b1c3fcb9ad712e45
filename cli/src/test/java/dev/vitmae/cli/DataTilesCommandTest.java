package dev.vitmae.cli;

import static dev.vitmae.cli.CliRun.vitmae;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every tile can be traced to its photograph: by its name and through the manifest. */
class DataTilesCommandTest {
  @Test
  void tilesNameTheirPhotoAndTheManifestLocatesThem(@TempDir Path tmp) throws IOException {
    // Two photographs with the same file name, as wallpaper packages ship them.
    SplittableRandom rng = new SplittableRandom(1);
    for (String dir : List.of("altai", "kite")) {
      BufferedImage photo = new BufferedImage(40, 33, BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < 33; y++) {
        for (int x = 0; x < 40; x++) photo.setRGB(x, y, rng.nextInt(1 << 24));
      }
      Files.createDirectories(tmp.resolve(dir));
      ImageIO.write(photo, "png", tmp.resolve(dir).resolve("5120x2880.png").toFile());
    }
    Path out = tmp.resolve("tiles");
    CliRun run =
        vitmae(
            "data",
            "tiles",
            "--images",
            tmp.resolve("altai").toString(),
            tmp.resolve("kite").toString(),
            "--size",
            "16",
            "--out",
            out.toString());
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains("wrote 8 tiles"), run.out());

    List<String[]> rows = CliRun.csv(out.resolve(DataTilesCommand.MANIFEST));
    assertEquals(List.of("tile", "source", "x", "y", "size"), List.of(rows.get(0)));
    assertEquals(9, rows.size(), "2 photos x 2 x 2 tiles");
    Set<String> names = new HashSet<>();
    for (String[] row : rows.subList(1, rows.size())) {
      assertTrue(names.add(row[0]), "unique names: " + row[0]);
      assertTrue(row[0].matches("p0[01]-5120x2880-y000(00|16)-x000(00|16)\\.png"), row[0]);
      BufferedImage tile = ImageIO.read(out.resolve(row[0]).toFile());
      BufferedImage source = ImageIO.read(Path.of(row[1]).toFile());
      int x0 = Integer.parseInt(row[2]);
      int y0 = Integer.parseInt(row[3]);
      for (int y = 0; y < 16; y++) {
        for (int x = 0; x < 16; x++) {
          assertEquals(
              source.getRGB(x0 + x, y0 + y), tile.getRGB(x, y), row[0] + " " + x + "," + y);
        }
      }
    }
    assertTrue(rows.get(1)[1].endsWith("altai/5120x2880.png"), rows.get(1)[1]);
    assertTrue(rows.get(8)[1].endsWith("kite/5120x2880.png"), rows.get(8)[1]);
  }
}
