package dev.vitmae.cli;

import dev.vitmae.datasets.DatasetKind;
import dev.vitmae.datasets.DatasetSplits;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The options that pick a dataset, shared by every command that reads one (use as a picocli
 * {@code @Mixin}): {@code --dataset}, {@code --data-dir}, {@code --seed}.
 */
public final class DatasetOptions {
    @Option(names = "--dataset", required = true, paramLabel = "NAME", converter = KindConverter.class,
            description = "fashion-mnist, mnist or synthetic.")
    DatasetKind kind;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Directory holding the IDX files (default: the dataset's own, see its environment variable).")
    Path dataDir;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
            description = "Seed of the synthetic dataset (default: ${DEFAULT-VALUE}).")
    long seed;

    public DatasetKind kind() {
        return kind;
    }

    /** Loads train and test; a missing file fails with a message that says how to get it. */
    public DatasetSplits load() throws IOException {
        return kind.load(dataDir, seed);
    }

    /** Parses {@code --dataset}, listing the accepted names on a typo. */
    static final class KindConverter implements ITypeConverter<DatasetKind> {
        @Override
        public DatasetKind convert(String value) {
            try {
                return DatasetKind.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
