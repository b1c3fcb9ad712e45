package dev.vitmae.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LossCurveTest {
  @Test
  void healthColumnsGetChartsBesideTheLoss(@TempDir Path run) throws IOException {
    Path steps = run.resolve("steps.csv");
    Files.writeString(steps, "epoch,step,loss,lr\n1,1,0.9,0.001\n1,2,0.7,0.001\n2,3,0.6,0.001\n");
    Path metrics = run.resolve("metrics.csv");
    Files.writeString(
        metrics,
        "epoch,step,train_loss,embed_std,embed_rank,test_masked_mse,lr,seconds,img_per_s\n"
            + "1,2,0.8,0.30,12.5,0.75,0.001,1.0,10.0\n"
            + "2,3,0.6,0.25,11.0,0.65,0.001,1.0,10.0\n");

    BufferedImage both = LossCurve.draw(steps, metrics);
    assertEquals(1080, both.getWidth());
    assertEquals(420, both.getHeight());
    // The right-hand charts carry the palette's first colour (their one series).
    int coloured = 0;
    for (int x = 720; x < 1080; x++) {
      for (int y = 0; y < 420; y++)
        if (both.getRGB(x, y) == Pictures.PALETTE[0].getRGB()) coloured++;
    }
    assertTrue(coloured > 20, "health series drawn: " + coloured);

    Files.writeString(
        metrics,
        "epoch,step,train_loss,test_masked_mse,lr,seconds,img_per_s\n"
            + "1,2,0.8,0.75,0.001,1.0,10.0\n");
    assertEquals(720, LossCurve.draw(steps, metrics).getWidth());
  }
}
