package dev.vitmae.cli;

import static dev.vitmae.cli.Pictures.GRID;
import static dev.vitmae.cli.Pictures.INK;
import static dev.vitmae.cli.Pictures.PALETTE;
import static dev.vitmae.cli.Pictures.TEXT;
import static dev.vitmae.cli.Pictures.TITLE;
import static dev.vitmae.cli.Pictures.centred;
import static dev.vitmae.cli.Pictures.metrics;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The line chart behind {@link Pictures#lineChart}: axes rounded out to 1-2-5 ticks, grid, legend. */
final class LineChart {
    private LineChart() {
    }

    static BufferedImage draw(String title, String xLabel, Map<String, double[][]> series, int width, int height) {
        if (width < 200 || height < 150) {
            throw new IllegalArgumentException("a chart needs at least 200x150 pixels, got " + width + "x" + height);
        }
        series.forEach((name, xy) -> {
            if (xy == null || xy.length != 2 || xy[0] == null || xy[1] == null || xy[0].length != xy[1].length) {
                throw new IllegalArgumentException("series '" + name + "' must be {x[], y[]} of equal length");
            }
        });
        List<double[]> xs = series.values().stream().map(xy -> xy[0]).toList();
        List<double[]> ys = series.values().stream().map(xy -> xy[1]).toList();
        Axis xAxis = Axis.of(xs, ys);
        Axis yAxis = Axis.of(ys, xs);
        FontMetrics text = metrics(TEXT);
        FontMetrics bold = metrics(TITLE);
        int yLabelWidth = 0;
        for (int k = 0; k <= yAxis.ticks(); k++) {
            yLabelWidth = Math.max(yLabelWidth, text.stringWidth(yAxis.label(k)));
        }
        int left = yLabelWidth + 14;
        int top = bold.getHeight() + 14;
        int plotW = width - left - 20;
        int plotH = height - top - (2 * text.getHeight() + 16);

        BufferedImage img = Pictures.canvas(width, height);
        Graphics2D g = Pictures.graphics(img);
        g.setFont(TITLE);
        centred(g, title, left + plotW / 2, 6 + bold.getAscent());
        g.setFont(TEXT);
        // Grid lines, ticks and their labels.
        for (int k = 0; k <= xAxis.ticks(); k++) {
            int px = left + (int) Math.round(xAxis.fraction(xAxis.tick(k)) * plotW);
            g.setColor(GRID);
            g.drawLine(px, top, px, top + plotH);
            g.setColor(INK);
            g.drawLine(px, top + plotH, px, top + plotH + 4);
            centred(g, xAxis.label(k), px, top + plotH + 6 + text.getAscent());
        }
        for (int k = 0; k <= yAxis.ticks(); k++) {
            int py = top + plotH - (int) Math.round(yAxis.fraction(yAxis.tick(k)) * plotH);
            g.setColor(GRID);
            g.drawLine(left, py, left + plotW, py);
            g.setColor(INK);
            g.drawLine(left - 4, py, left, py);
            String label = yAxis.label(k);
            g.drawString(label, left - 6 - text.stringWidth(label), py + text.getAscent() / 2 - 1);
        }
        g.drawRect(left, top, plotW, plotH);
        centred(g, xLabel, left + plotW / 2, height - 6 - text.getDescent());
        // The series, clipped to the plot area.
        g.setClip(left, top, plotW + 1, plotH + 1);
        g.setStroke(new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        int index = 0;
        for (double[][] xy : series.values()) {
            g.setColor(PALETTE[index++ % PALETTE.length]);
            Path2D.Double line = new Path2D.Double();
            boolean drawing = false;
            for (int i = 0; i < xy[0].length; i++) {
                if (!Double.isFinite(xy[0][i]) || !Double.isFinite(xy[1][i])) {
                    drawing = false;
                    continue;
                }
                double px = left + xAxis.fraction(xy[0][i]) * plotW;
                double py = top + plotH - yAxis.fraction(xy[1][i]) * plotH;
                if (drawing) {
                    line.lineTo(px, py);
                } else {
                    line.moveTo(px, py);
                    // A dot, so a single point (or the start of a segment) is visible.
                    g.fillOval((int) Math.round(px) - 2, (int) Math.round(py) - 2, 5, 5);
                    drawing = true;
                }
            }
            g.draw(line);
        }
        g.setClip(null);
        legend(g, text, List.copyOf(series.keySet()), left + plotW - 8, top + 8);
        g.dispose();
        return img;
    }

    /** A box anchored at its top-right corner: a colour swatch and the name of each series. */
    private static void legend(Graphics2D g, FontMetrics fm, List<String> names, int rightX, int topY) {
        if (names.isEmpty()) {
            return;
        }
        int lineHeight = fm.getHeight();
        int boxW = Pictures.widest(fm, names) + 38;
        int x = rightX - boxW;
        g.setColor(new Color(255, 255, 255, 230));
        g.fillRect(x, topY, boxW, names.size() * lineHeight + 8);
        g.setColor(GRID.darker());
        g.setStroke(new BasicStroke(1f));
        g.drawRect(x, topY, boxW, names.size() * lineHeight + 8);
        for (int i = 0; i < names.size(); i++) {
            int baseline = topY + 4 + i * lineHeight + fm.getAscent();
            int middle = baseline - fm.getAscent() / 2 + 1;
            g.setColor(PALETTE[i % PALETTE.length]);
            g.setStroke(new BasicStroke(3f));
            g.drawLine(x + 6, middle, x + 26, middle);
            g.setColor(INK);
            g.drawString(names.get(i), x + 32, baseline);
        }
    }

    /** A numeric axis over the finite values (whose partners are finite), rounded out to whole ticks. */
    record Axis(double min, double max, double step, int decimals) {
        static Axis of(List<double[]> values, List<double[]> partners) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (int s = 0; s < values.size(); s++) {
                for (int i = 0; i < values.get(s).length; i++) {
                    double v = values.get(s)[i];
                    if (Double.isFinite(v) && Double.isFinite(partners.get(s)[i])) {
                        lo = Math.min(lo, v);
                        hi = Math.max(hi, v);
                    }
                }
            }
            if (lo > hi) {
                lo = 0;
                hi = 1;
            } else if (lo == hi) {
                double pad = lo == 0 ? 1 : Math.abs(lo) * 0.1;
                lo -= pad;
                hi += pad;
            }
            double step = niceStep((hi - lo) / 6);
            int decimals = (int) Math.max(0, Math.min(10, -Math.floor(Math.log10(step) + 1e-9)));
            return new Axis(Math.floor(lo / step + 1e-9) * step, Math.ceil(hi / step - 1e-9) * step, step, decimals);
        }

        /** 1, 2 or 5 times a power of ten, at least {@code raw}. */
        static double niceStep(double raw) {
            double power = Math.pow(10, Math.floor(Math.log10(raw)));
            for (double m : new double[] {1, 2, 5}) {
                if (m * power >= raw * (1 - 1e-9)) {
                    return m * power;
                }
            }
            return 10 * power;
        }

        int ticks() {
            return (int) Math.round((max - min) / step);
        }

        double tick(int k) {
            return min + k * step;
        }

        double fraction(double v) {
            return (v - min) / (max - min);
        }

        String label(int k) {
            double v = tick(k);
            return String.format(Locale.ROOT, "%." + decimals + "f", Math.abs(v) < step * 1e-6 ? 0.0 : v);
        }
    }
}
