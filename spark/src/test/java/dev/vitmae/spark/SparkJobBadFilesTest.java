package dev.vitmae.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job on a folder with a zero-byte file and a valid photograph the resampler used to push past
 * 1 (issue 20): the photo is embedded, the empty file is a bad image like any other (a row with the
 * reason, or a failed job naming it), a failed job leaves no output folder behind, and an existing
 * output is refused naming --overwrite.
 */
class SparkJobBadFilesTest {

  @TempDir static Path dir;
  static SparkSession spark;
  static Path photos;

  @BeforeAll
  static void setUp() throws IOException {
    spark = TestSpark.spark();
    photos = dir.resolve("photos");
    TestSpark.pngs(photos, 6, 5, "cats", "dogs");
    Files.createFile(photos.resolve("cats/empty.png"));
    Files.createFile(photos.resolve("cats/notes.txt")); // empty too, but not matched by *.png
    BufferedImage white = new BufferedImage(2795, 2096, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = white.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, 2795, 2096);
    g.dispose();
    ImageIO.write(white, "png", photos.resolve("dogs/2795x2096.png").toFile());
  }

  /** Runs the job, returning its exit code and what it printed on standard error. */
  static Map.Entry<Integer, String> job(String... args) {
    PrintStream saved = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      return Map.entry(SparkJob.run(args), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(saved);
    }
  }

  static String[] embed(String out, String... more) {
    String[] base = {
      "embed",
      "--model",
      TestSpark.model(TestSpark.ENCODER).toString(),
      "--images",
      photos + "/*/*.png",
      "--out",
      out,
      "--batch-size",
      "3"
    };
    String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }

  @Test
  void emptyFileIsABadImageAndThePhotoIsEmbedded() {
    String out = dir.resolve("embeddings.parquet").toString();
    assertEquals(0, job(embed(out)).getKey());
    Map<String, Row> rows = new TreeMap<>();
    for (Row r : spark.read().parquet(out).collectAsList()) rows.put(TestSpark.name(r), r);
    assertEquals(8, rows.size(), rows.keySet().toString()); // 6 + empty.png + the photo
    Row empty = rows.get("empty.png");
    assertNull(empty.getAs("embedding"));
    assertTrue(((String) empty.getAs("error")).contains("empty"), (String) empty.getAs("error"));
    assertEquals("cats", empty.getAs("label"));
    Row photo = rows.get("2795x2096.png");
    assertNull(photo.getAs("error"));
    assertNotNull(photo.getAs("embedding"));
  }

  @Test
  void aFailedJobLeavesNoOutputAndAnExistingOneNeedsOverwrite() {
    String out = dir.resolve("rerun.parquet").toString();
    var failed = job(embed(out, "--fail-on-bad-image"));
    assertEquals(1, failed.getKey());
    assertTrue(failed.getValue().contains("empty.png"), failed.getValue());
    assertFalse(Files.exists(Path.of(out)), "a failed job removes its output folder");

    assertEquals(0, job(embed(out)).getKey(), "the rerun is not blocked");
    var again = job(embed(out));
    assertEquals(1, again.getKey());
    assertTrue(again.getValue().contains("--overwrite"), again.getValue());
    assertFalse(again.getValue().contains("Set mode"), again.getValue());
    assertTrue(Files.exists(Path.of(out, "_SUCCESS")), "the refused run kept the old output");
    assertEquals(0, job(embed(out, "--overwrite")).getKey());
  }
}
