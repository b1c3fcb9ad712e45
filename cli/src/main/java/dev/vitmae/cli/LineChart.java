package dev.vitmae.cli;

import static dev.vitmae.cli.Pictures.GRID;
import static dev.vitmae.cli.Pictures.INK;
import static dev.vitmae.cli.Pictures.PALETTE;
import static dev.vitmae.cli.Pictures.TEXT;
import static dev.vitmae.cli.Pictures.TITLE;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The line chart behind {@link Pictures#lineChart}, drawn by JFreeChart: axes, grid, legend, the
 * project's palette; a series with a single point shows it as a dot, non-finite points break the
 * line.
 */
final class LineChart {
  private LineChart() {}

  static BufferedImage draw(
      String title, String xLabel, Map<String, double[][]> series, int width, int height) {
    return draw(title, xLabel, series, width, height, false);
  }

  /** {@link #draw}, with the y axis reaching down (or up) to 0 when {@code fromZero}. */
  static BufferedImage draw(
      String title,
      String xLabel,
      Map<String, double[][]> series,
      int width,
      int height,
      boolean fromZero) {
    if (width < 200 || height < 150) {
      throw new IllegalArgumentException(
          "a chart needs at least 200x150 pixels, got " + width + "x" + height);
    }
    XYSeriesCollection data = new XYSeriesCollection();
    series.forEach(
        (name, xy) -> {
          if (xy == null
              || xy.length != 2
              || xy[0] == null
              || xy[1] == null
              || xy[0].length != xy[1].length) {
            throw new IllegalArgumentException(
                "series '" + name + "' must be {x[], y[]} of equal length");
          }
          XYSeries s = new XYSeries(name, false, true);
          for (int i = 0; i < xy[0].length; i++) {
            // A null y breaks the line, as a missing value should.
            s.add(
                xy[0][i],
                Double.isFinite(xy[1][i]) && Double.isFinite(xy[0][i]) ? (Number) xy[1][i] : null);
          }
          data.addSeries(s);
        });
    NumberAxis x = new NumberAxis(xLabel);
    NumberAxis y = new NumberAxis();
    y.setAutoRangeIncludesZero(fromZero);
    for (NumberAxis axis : new NumberAxis[] {x, y}) {
      axis.setLabelFont(TEXT);
      axis.setTickLabelFont(TEXT);
      axis.setLabelPaint(INK);
      axis.setTickLabelPaint(INK);
    }
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
    for (int i = 0; i < data.getSeriesCount(); i++) {
      renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
      renderer.setSeriesStroke(i, new BasicStroke(2f));
      // Series of one or a few points (a per-epoch metric) get markers, so they are visible.
      renderer.setSeriesShapesVisible(i, data.getSeries(i).getItemCount() <= 50);
    }
    XYPlot plot = new XYPlot(data, x, y, renderer);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(GRID);
    plot.setRangeGridlinePaint(GRID);
    plot.setOutlinePaint(INK);
    JFreeChart chart = new JFreeChart(title, TITLE, plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    chart.setAntiAlias(false);
    TextTitle t = chart.getTitle();
    t.setPaint(INK);
    LegendTitle legend = chart.getLegend();
    legend.setItemFont(TEXT);
    legend.setItemPaint(INK);
    return chart.createBufferedImage(width, height, BufferedImage.TYPE_INT_RGB, null);
  }
}
