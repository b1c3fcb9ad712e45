package dev.vitmae.graph.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The encoder variants of {@link ViTConfig}: defaults, the class-token rule, older JSON. */
class EncoderVariantConfigTest {
  /** model.json of a ViT checkpoint written before the variant components existed. */
  static final String BEFORE_VARIANTS =
      "{\"imageSize\":28,\"patchSize\":7,\"channels\":1,\"dim\":128,\"depth\":1,\"heads\":8,"
          + "\"dimHead\":64,\"mlpDim\":128,\"numClasses\":10,\"pool\":\"%s\","
          + "\"posEmbedding\":\"LEARNED\"}";

  @Test
  void theReferenceIsVitPytorchsVariant() {
    ViTConfig c = ViTConfig.reference();
    assertEquals(PatchEmbedding.NORMED_LINEAR, c.patchEmbedding());
    assertFalse(c.qkvBias());
    assertEquals(1e-5, c.layerNormEps());
    assertEquals(ClassToken.UNPOSITIONED, c.classToken());
    assertEquals(16, c.numPositions());
    assertEquals(17, c.numTokens());
    assertEquals(c, ViTConfig.builder().build());
  }

  @Test
  void configsWrittenBeforeTheVariantsReadAsTheReferenceVariant() {
    assertEquals(
        ViTConfig.reference(), RecordJson.read(ViTConfig.class, BEFORE_VARIANTS.formatted("CLS")));
    ViTConfig mean = RecordJson.read(ViTConfig.class, BEFORE_VARIANTS.formatted("MEAN"));
    assertEquals(ClassToken.NONE, mean.classToken());
    assertEquals(ViTConfig.reference().withPool(Pooling.MEAN), mean);
  }

  @Test
  void timmsVariantRoundTripsThroughJson() {
    ViTConfig timm = ViTConfig.timm(224, 16, 192, 12, 3);
    assertEquals(timm, RecordJson.read(ViTConfig.class, RecordJson.write(timm)));
    assertEquals(197, timm.numPositions());
    assertEquals(768, timm.mlpDim());
    assertEquals(64, timm.dimHead());
    assertTrue(timm.qkvBias());
    assertEquals(1e-6, timm.layerNormEps());
  }

  @Test
  void theClassTokenFollowsThePoolingUnlessSet() {
    ViTConfig ref = ViTConfig.reference();
    assertEquals(ClassToken.NONE, ref.withPool(Pooling.MEAN).classToken());
    assertEquals(
        ClassToken.UNPOSITIONED, ref.withPool(Pooling.MEAN).withPool(Pooling.CLS).classToken());
    ViTConfig timm = ViTConfig.timm(32, 8, 32, 1, 2);
    // An explicit class token stays when the pooling changes (timm's global_pool='avg').
    assertEquals(ClassToken.POSITIONED, timm.withPool(Pooling.MEAN_FC_NORM).classToken());
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ref.toBuilder().classToken(ClassToken.NONE).build());
    assertTrue(e.getMessage().contains("pool CLS needs a class token"), e.getMessage());
    var eps =
        assertThrows(IllegalArgumentException.class, () -> ref.toBuilder().layerNormEps(0).build());
    assertTrue(eps.getMessage().contains("layerNormEps"), eps.getMessage());
  }

  @Test
  void onlyVitPytorchsSingleFullHeadDropsTheOutProjection() {
    ViTConfig one = ViTConfig.builder().heads(1).dimHead(128).build();
    assertFalse(one.attentionOutProjection());
    assertTrue(
        one.toBuilder().patchEmbedding(PatchEmbedding.LINEAR).build().attentionOutProjection());
  }
}
