package dev.vitmae.runtime;

import java.util.Locale;

/** What an exported model computes; its {@link #metadataName()} is the value of {@code vitmae.model}. */
public enum ModelKind {
    /** {@code images [batch,C,H,W]} → {@code tokens [batch,N,D]}, {@code embedding [batch,D]}. */
    ENCODER,
    /** {@code images [batch,C,H,W]}, {@code mask [batch,N]} → {@code reconstruction [batch,C,H,W]}. */
    MAE,
    /** {@code images [batch,C,H,W]} → {@code logits [batch,classes]}. */
    CLASSIFIER,
    /**
     * I-JEPA context encoder + predictor: {@code images [batch,C,H,W]}, {@code context_mask [batch,N]},
     * {@code target_mask [batch,N]} → {@code predicted_tokens [batch,N,D]}.
     */
    PREDICTOR;

    /** The lower-case name written to the {@code vitmae.model} metadata. */
    public String metadataName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a {@code vitmae.model} value.
     *
     * @throws IllegalArgumentException when it is none of encoder, mae, classifier, predictor
     */
    public static ModelKind fromMetadata(String value) {
        for (ModelKind k : values()) {
            if (k.metadataName().equalsIgnoreCase(value.trim())) return k;
        }
        throw new IllegalArgumentException("unknown vitmae.model '" + value + "', expected encoder, mae, classifier or predictor");
    }
}
