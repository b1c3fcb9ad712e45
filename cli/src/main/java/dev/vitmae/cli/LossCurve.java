package dev.vitmae.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The loss-curve picture of a run: train loss and the evaluation metric per epoch, from metrics.csv. */
final class LossCurve {
    private LossCurve() {
    }

    static BufferedImage draw(Path metricsCsv) throws IOException {
        List<String> lines = Files.readAllLines(metricsCsv);
        if (lines.size() < 2) {
            throw new IOException(metricsCsv + ": no epochs recorded yet");
        }
        String[] header = lines.get(0).split(",");
        int rows = lines.size() - 1;
        double[] epoch = new double[rows];
        double[] train = new double[rows];
        double[] metric = new double[rows];
        for (int i = 0; i < rows; i++) {
            String[] f = lines.get(i + 1).split(",");
            if (f.length != header.length) {
                throw new IOException(metricsCsv + ": line " + (i + 2) + " has " + f.length + " fields, expected "
                        + header.length);
            }
            epoch[i] = Double.parseDouble(f[0]);
            train[i] = Double.parseDouble(f[2]);
            metric[i] = Double.parseDouble(f[3]);
        }
        Map<String, double[][]> series = new LinkedHashMap<>();
        series.put(header[2], new double[][] {epoch, train});
        series.put(header[3], new double[][] {epoch, metric});
        return Pictures.lineChart(metricsCsv.getParent().getFileName() + ": " + header[2] + " and " + header[3],
                "epoch", series, 720, 420);
    }
}
