package dev.vitmae.cli;

import dev.vitmae.datasets.DatasetKind;
import java.util.List;

/** Human names of the ten classes: Fashion-MNIST's clothing names, the digit itself otherwise. */
public final class ClassNames {
    public static final List<String> FASHION_MNIST = List.of("T-shirt/top", "Trouser", "Pullover", "Dress",
            "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private ClassNames() {
    }

    /** The name of class {@code label} (0..9) of {@code kind}. */
    public static String of(DatasetKind kind, int label) {
        return kind == DatasetKind.FASHION_MNIST ? FASHION_MNIST.get(label) : Integer.toString(label);
    }
}
