package dev.vitmae.cli;

import dev.vitmae.datasets.DatasetSplits;
import dev.vitmae.datasets.Idx;
import dev.vitmae.datasets.ImageArray;
import dev.vitmae.datasets.ImageSource;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * Where the images a model runs on come from (a picocli {@code @Mixin}): exactly one of a dataset split
 * ({@code --dataset} with {@link DatasetOptions}' options), PNG files ({@code --png}) or an IDX image file
 * ({@code --idx}); {@code -n} keeps the first N. Images must already have the model's size: nothing is resized.
 */
final class ImageInputOptions {
    enum Split { TRAIN, TEST }

    @ArgGroup(exclusive = true, multiplicity = "1", heading = "Images (exactly one of --dataset, --png, --idx):%n")
    private Source source;

    @Option(names = "--split", paramLabel = "SPLIT", defaultValue = "test",
            description = "With --dataset: train or test (default: ${DEFAULT-VALUE}).")
    private Split split;

    @Option(names = "-n", paramLabel = "N", description = "Use only the first N images (default: all).")
    private Integer limit;

    /** The mutually exclusive sources. */
    static final class Source {
        @ArgGroup(exclusive = false)
        private DatasetOptions dataset;

        @Option(names = "--png", arity = "1..*", paramLabel = "FILE",
                description = "PNG files of the model's size; RGB is averaged to gray.")
        private List<Path> png;

        @Option(names = "--idx", paramLabel = "IMAGES.idx[.gz]", description = "An IDX image file (unlabelled).")
        private Path idx;
    }

    /**
     * Loads the chosen images, checked against the model's image shape.
     *
     * @throws IllegalArgumentException when an image does not have {@code channels × size × size} pixels (naming the
     *     file or dataset and both sizes) or {@code -n} is not positive
     * @throws IOException when a file is missing or unreadable
     */
    InputImages load(int channels, int size) throws IOException {
        if (limit != null && limit <= 0) {
            throw new IllegalArgumentException("-n must be positive, got " + limit);
        }
        InputImages all;
        if (source.png != null) {
            all = readPngs(limit == null ? source.png : source.png.subList(0, Math.min(limit, source.png.size())),
                    channels, size);
        } else if (source.idx != null) {
            ImageArray images = Idx.readImages(source.idx);
            requireShape(source.idx.toString(), 1, images.rows(), images.cols(), channels, size);
            all = new InputImages(source.idx.toString(), images.count(), 1, size, images.pixels(), null);
        } else {
            DatasetSplits splits = source.dataset.load();
            ImageSource data = split == Split.TRAIN ? splits.train() : splits.requireTest();
            requireShape(data.name(), data.channels(), data.imageSize(), data.imageSize(), channels, size);
            int[] labels = new int[data.count()];
            Arrays.setAll(labels, data::label);
            all = new InputImages(data.name(), data.count(), channels, size, InputImages.bytes(data), labels);
        }
        return limit == null || limit >= all.count() ? all : first(all, limit);
    }

    private static InputImages first(InputImages all, int n) {
        return new InputImages(all.source(), n, all.channels(), all.size(),
                Arrays.copyOf(all.pixels(), n * all.imageLength()), all.labelled() ? Arrays.copyOf(all.labels(), n) : null);
    }

    /** PNG files as bytes: gray images as they are, colour ones averaged over R, G, B (or kept for 3-channel models). */
    static InputImages readPngs(List<Path> files, int channels, int size) throws IOException {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("PNG input needs a 1- or 3-channel model, this one takes " + channels);
        }
        int plane = size * size;
        byte[] pixels = new byte[files.size() * channels * plane];
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            if (!Files.isRegularFile(file)) {
                throw new NoSuchFileException(file.toString());
            }
            BufferedImage img = ImageIO.read(file.toFile());
            if (img == null) {
                throw new IOException(file + " is not an image ImageIO can read");
            }
            if (img.getWidth() != size || img.getHeight() != size) {
                throw new IllegalArgumentException(file + " is " + img.getWidth() + "x" + img.getHeight()
                        + " pixels, but the model takes " + size + "x" + size + " images; resize it first");
            }
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    int at = i * channels * plane + y * size + x;
                    if (img.getType() == BufferedImage.TYPE_BYTE_GRAY) {
                        // getRGB would convert linear gray to sRGB and change every value.
                        int g = img.getRaster().getSample(x, y, 0);
                        for (int c = 0; c < channels; c++) pixels[at + c * plane] = (byte) g;
                        continue;
                    }
                    int rgb = img.getRGB(x, y);
                    int r = (rgb >> 16) & 0xff, g = (rgb >> 8) & 0xff, b = rgb & 0xff;
                    if (channels == 1) {
                        pixels[at] = (byte) Math.round((r + g + b) / 3f);
                    } else {
                        pixels[at] = (byte) r;
                        pixels[at + plane] = (byte) g;
                        pixels[at + 2 * plane] = (byte) b;
                    }
                }
            }
        }
        return new InputImages(files.size() == 1 ? files.get(0).toString() : files.size() + " PNG files",
                files.size(), channels, size, pixels, null);
    }

    private static void requireShape(String what, int channels, int height, int width, int modelChannels, int size) {
        if (channels != modelChannels || height != size || width != size) {
            throw new IllegalArgumentException(what + " has " + channels + "x" + height + "x" + width
                    + " (channels x height x width) images, but the model takes " + modelChannels + "x" + size + "x"
                    + size + "; resize them first");
        }
    }
}
