package dev.vitmae.cli;

import dev.vitmae.datasets.ImageSource;
import java.util.Map;

/** Human names of classes, as the data source knows them. */
final class ClassNames {
    /** Checkpoint info key of the class names, tab-free and comma-separated. */
    static final String KEY = "classes";

    private ClassNames() {
    }

    /** The name of class {@code label} of {@code data}: its class name when known, else the number. */
    static String of(ImageSource data, int label) {
        return label < data.classNames().size() ? data.classNames().get(label) : Integer.toString(label);
    }

    /** What a checkpoint records about the training data: the class names, when known. */
    static Map<String, String> info(ImageSource train) {
        return train.classNames().isEmpty() ? Map.of() : Map.of(KEY, String.join(",", train.classNames()));
    }
}
