package dev.vitmae.graph.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The decoder and predictor variants of {@link MaeConfig} and {@link IjepaConfig}: the reference
 * defaults, the published presets, older JSON.
 */
class DecoderVariantConfigTest {

  @Test
  void theReferenceMaeDecoderHasLearnedPositionsAndNoClassToken() {
    MaeConfig m = MaeConfig.reference();
    assertEquals(PosEmbedding.LEARNED, m.decoderPosEmbedding());
    assertFalse(m.hasClassToken(), "vit-pytorch's MAE leaves its class token out");
    assertEquals(16, m.decoderTokens());
    assertEquals(m, MaeConfig.builder().build());
  }

  @Test
  void configsWrittenBeforeTheVariantsReadAsTheReference() {
    String mae =
        RecordJson.write(MaeConfig.reference()).replace(",\"decoderPosEmbedding\":\"LEARNED\"", "");
    assertFalse(mae.contains("decoderPosEmbedding"), mae);
    assertEquals(MaeConfig.reference(), RecordJson.read(MaeConfig.class, mae));

    IjepaConfig sincos =
        IjepaConfig.of(ViTConfig.reference().toBuilder().posEmbedding(PosEmbedding.SINCOS).build());
    String ijepa = RecordJson.write(sincos).replace(",\"predictorPosEmbedding\":\"SINCOS\"", "");
    assertFalse(ijepa.contains("predictorPosEmbedding"), ijepa);
    IjepaConfig read = RecordJson.read(IjepaConfig.class, ijepa);
    assertEquals(PosEmbedding.SINCOS, read.predictorPosEmbedding(), "the encoder's kind");
    assertEquals(sincos, read);
  }

  @Test
  void facebookresearchMaeRoundTripsThroughJson() {
    ViTConfig encoder =
        ViTConfig.timm(224, 16, 768, 12, 12).toBuilder().posEmbedding(PosEmbedding.SINCOS).build();
    MaeConfig m = MaeConfig.mae(encoder, 512, 8, 16);
    assertEquals(m, RecordJson.read(MaeConfig.class, RecordJson.write(m)));
    assertEquals(PosEmbedding.SINCOS, m.decoderPosEmbedding());
    assertTrue(m.hasClassToken());
    assertEquals(197, m.decoderTokens());
    assertEquals(32, m.decoderDimHead());
    assertEquals(2048, m.decoderMlpDim());
    assertEquals(147, m.numMasked());
    var odd =
        assertThrows(
            IllegalArgumentException.class,
            () -> m.toBuilder().decoderDim(30).decoderDimHead(15).decoderHeads(2).build());
    assertTrue(odd.getMessage().contains("decoderDim divisible by 4"), odd.getMessage());
  }

  @Test
  void ijepasPredictorHasFixedPositionsWhateverTheEncoders() {
    ViTConfig encoder =
        ViTConfig.timm(224, 14, 1280, 32, 16).toBuilder()
            .classToken(ClassToken.NONE)
            .pool(Pooling.MEAN)
            .build();
    IjepaConfig learnedEncoder = IjepaConfig.ijepa(encoder, 384, 12, 12);
    assertEquals(PosEmbedding.SINCOS, learnedEncoder.predictorPosEmbedding());
    assertEquals(1536, learnedEncoder.predictorMlpDim());
    assertEquals(
        learnedEncoder, RecordJson.read(IjepaConfig.class, RecordJson.write(learnedEncoder)));
    // The builder keeps an explicit choice and otherwise follows the encoder.
    assertEquals(
        PosEmbedding.SINCOS,
        learnedEncoder.toBuilder().predictorDepth(2).build().predictorPosEmbedding());
    assertEquals(
        PosEmbedding.SINCOS,
        IjepaConfig.builder()
            .encoder(ViTConfig.reference().toBuilder().posEmbedding(PosEmbedding.SINCOS).build())
            .build()
            .predictorPosEmbedding());
    assertEquals(PosEmbedding.LEARNED, IjepaConfig.reference().predictorPosEmbedding());
    var cls =
        assertThrows(
            IllegalArgumentException.class, () -> IjepaConfig.of(ViTConfig.timm(32, 8, 32, 1, 2)));
    assertTrue(cls.getMessage().contains("no class token"), cls.getMessage());
  }
}
