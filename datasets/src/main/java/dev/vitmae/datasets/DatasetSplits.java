package dev.vitmae.datasets;

import java.util.Objects;

/** A train/test pair of labelled image datasets. */
public record DatasetSplits(ImageDataset train, ImageDataset test) {
    public DatasetSplits {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
    }
}
