package dev.vitmae.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vitmae.graph.config.IjepaConfig;
import dev.vitmae.graph.config.MaeConfig;
import dev.vitmae.graph.config.PosEmbedding;
import dev.vitmae.graph.config.TrainConfig;
import dev.vitmae.graph.config.ViTConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * One source of defaults: `vitmae train` with no model or optimizer option builds the records'
 * references.
 */
class TrainCommandDefaultsTest {
  @Test
  void everyDefaultIsTheRecordsReference() {
    TrainCommand train = new TrainCommand();
    new CommandLine(train).parseArgs("mae", "--out", "unused", "--dataset", "synthetic");
    assertEquals(TrainConfig.reference(), train.optim.config(TrainConfig.DEFAULT_EPOCHS));
    assertEquals(ViTConfig.reference(), train.model.vit(28, 1, 10));
    assertEquals(MaeConfig.reference(), train.model.mae(28, 1));
    assertEquals(IjepaConfig.reference(), train.model.ijepa(28, 1));
  }

  @Test
  void optionsOverrideTheirField() {
    TrainCommand train = new TrainCommand();
    new CommandLine(train)
        .parseArgs(
            "mae",
            "--out",
            "unused",
            "--dataset",
            "synthetic",
            "--dim",
            "64",
            "--lr",
            "3e-4",
            "--masking-ratio",
            "0.5");
    assertEquals(
        MaeConfig.reference().toBuilder().dim(64).maskingRatio(0.5).build(),
        train.model.mae(28, 1));
    assertEquals(TrainConfig.reference().toBuilder().lr(3e-4).build(), train.optim.config(3));
  }

  /** As Main parses them: enum values in any case. */
  @Test
  void facebookresearchMaeAndIjepasVariantsFromOptions() {
    String[] encoder = {
      "--out",
      "unused",
      "--dataset",
      "synthetic",
      "--patch-embedding",
      "linear",
      "--qkv-bias",
      "--layer-norm-eps",
      "1e-6",
      "--pos",
      "sincos",
      "--dim",
      "64",
      "--pool",
      "mean"
    };
    TrainCommand train = new TrainCommand();
    new CommandLine(train)
        .setCaseInsensitiveEnumValuesAllowed(true)
        .parseArgs(
            concat(
                new String[] {"mae", "--class-token", "positioned", "--decoder-pos", "sincos"},
                encoder));
    MaeConfig mae = train.model.mae(28, 1);
    assertEquals(PosEmbedding.SINCOS, mae.decoderPosEmbedding());
    assertEquals(true, mae.hasClassToken());
    assertEquals(17, mae.decoderTokens());

    TrainCommand ijepa = new TrainCommand();
    new CommandLine(ijepa)
        .setCaseInsensitiveEnumValuesAllowed(true)
        .parseArgs(concat(new String[] {"ijepa"}, encoder));
    assertEquals(PosEmbedding.SINCOS, ijepa.model.ijepa(28, 1).predictorPosEmbedding(), "--pos's");
    TrainCommand learned = new TrainCommand();
    new CommandLine(learned)
        .setCaseInsensitiveEnumValuesAllowed(true)
        .parseArgs(concat(new String[] {"ijepa", "--predictor-pos", "learned"}, encoder));
    assertEquals(PosEmbedding.LEARNED, learned.model.ijepa(28, 1).predictorPosEmbedding());
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void theSmallPresetSetsWhatTheUserLeftOpen() {
    TrainCommand train = new TrainCommand();
    CommandLine cli = new CommandLine(train);
    cli.parseArgs(
        "mae", "--out", "unused", "--dataset", "synthetic", "--preset", "small", "--depth", "2");
    train.model.applyPreset("small", cli.getParseResult());
    MaeConfig mae = train.model.mae(28, 1);
    assertEquals(4, mae.encoder().patchSize());
    assertEquals(128, mae.encoder().dim());
    assertEquals(2, mae.encoder().depth(), "an explicit option wins");
    assertEquals(0.75, mae.maskingRatio());
    assertEquals(2, mae.decoderDepth());
  }

  @Test
  void thePhotoPresetIsForSixtyFourPixelPhotographs() {
    TrainCommand train = new TrainCommand();
    CommandLine cli = new CommandLine(train);
    cli.parseArgs("mae", "--out", "unused", "--dataset", "synthetic", "--preset", "photo");
    train.model.applyPreset("photo", cli.getParseResult());
    MaeConfig mae = train.model.mae(64, 3);
    MaeConfig photo = MaeConfig.photo();
    assertEquals(photo.encoder().patchSize(), mae.encoder().patchSize());
    assertEquals(dev.vitmae.graph.config.PatchEmbedding.LINEAR, mae.encoder().patchEmbedding());
    assertEquals(photo.encoder().dim(), mae.encoder().dim());
    assertEquals(photo.encoder().depth(), mae.encoder().depth());
    assertEquals(photo.encoder().heads(), mae.encoder().heads());
    assertEquals(photo.encoder().mlpDim(), mae.encoder().mlpDim());
    assertEquals(photo.decoderMlpDim(), mae.decoderMlpDim());
    assertEquals(0.75, mae.maskingRatio());
    var unknown =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () -> train.model.applyPreset("huge", cli.getParseResult()));
    assertEquals("no preset 'huge': use one of reference, small, photo", unknown.getMessage());
  }
}
