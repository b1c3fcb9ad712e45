package dev.vitmae.runtime;

import dev.vitmae.images.Preprocessing;

/**
 * The preprocessing a model expects: the {@code vitmae.preprocessing.*} metadata written at export
 * when present, else the default for its input shape (resize the shorter side + centre crop to the
 * model's image size, the model's channels, white background). The same {@link Preprocessing}
 * implementation as training, so served pixels equal trained-on pixels.
 */
public final class ModelPreprocessing {
    private ModelPreprocessing() {}

    /**
     * The preprocessing of the model described by {@code info}.
     *
     * @throws InvalidModelException when the recorded preprocessing is malformed or its size or
     *     channels disagree with the model's {@code images} input
     */
    public static Preprocessing of(ModelInfo info) {
        if (!isRecorded(info)) return Preprocessing.of(info.imageSize(), info.channels());
        Preprocessing p;
        try {
            p = Preprocessing.fromMetadata(info.metadata());
        } catch (IllegalArgumentException e) {
            throw new InvalidModelException(
                    "the model's recorded preprocessing is invalid: " + e.getMessage(), e);
        }
        if (p.imageSize() != info.imageSize() || p.channels() != info.channels()) {
            String recorded = p.channels() + "x" + p.imageSize() + "x" + p.imageSize();
            String input = info.channels() + "x" + info.imageSize() + "x" + info.imageSize();
            throw new InvalidModelException(
                    String.format(
                            "the model's recorded preprocessing (%s) disagrees with its images"
                                    + " input (%s)",
                            recorded, input),
                    null);
        }
        return p;
    }

    /** Whether the model's metadata records its preprocessing. */
    public static boolean isRecorded(ModelInfo info) {
        return Preprocessing.isRecordedIn(info.metadata());
    }
}
