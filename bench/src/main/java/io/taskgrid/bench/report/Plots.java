package io.taskgrid.bench.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Draws the report's PNG plots with XChart: throughput and queue depth over time, latency percentiles. */
final class Plots {
  private Plots() {}

  /** Draws every plot there is data for; answers their file names. */
  static List<String> draw(Report report, Path dir) throws IOException {
    List<String> files = new ArrayList<>();
    Map<String, TimeSeries> series = report.series();
    if (!series.isEmpty()) {
      files.add(save(throughput(series), dir, "throughput.png"));
      files.add(save(queueDepth(series), dir, "queue-depth.png"));
    }
    if (!report.latencies().isEmpty()) {
      files.add(save(latencies(report.latencies()), dir, "latency.png"));
    }
    return files;
  }

  private static XYChart throughput(Map<String, TimeSeries> series) {
    XYChart chart = chart("Throughput over time", "seconds since the first submission", "tasks completed / s");
    series.forEach((name, s) -> {
      List<TimeSeries.Point> p = s.getPoints();
      if (p.size() < 2) {
        return;
      }
      double[] x = new double[p.size() - 1];
      double[] y = new double[p.size() - 1];
      for (int i = 1; i < p.size(); i++) {
        x[i - 1] = p.get(i).seconds();
        double dt = p.get(i).seconds() - p.get(i - 1).seconds();
        y[i - 1] = dt <= 0 ? 0 : (p.get(i).completed() - p.get(i - 1).completed()) / dt;
      }
      line(chart, name, x, y);
    });
    return chart;
  }

  private static XYChart queueDepth(Map<String, TimeSeries> series) {
    XYChart chart = chart("Queue depth over time", "seconds since the first submission", "tasks waiting");
    series.forEach((name, s) -> {
      List<TimeSeries.Point> p = s.getPoints();
      if (p.isEmpty()) {
        return;
      }
      line(chart, name, p.stream().mapToDouble(TimeSeries.Point::seconds).toArray(),
          p.stream().mapToDouble(TimeSeries.Point::queued).toArray());
    });
    return chart;
  }

  /** Latency by percentile; x is -log10(1 - p), so p90, p99 and p99.9 are evenly spaced. */
  private static XYChart latencies(Map<String, Histogram> histograms) {
    XYChart chart = chart("Latency distribution", "percentile", "milliseconds");
    chart.getStyler().setYAxisLogarithmic(true);
    chart.getStyler().setxAxisTickLabelsFormattingFunction(x -> {
      double p = 100 * (1 - Math.pow(10, -x));
      return String.format(Locale.ROOT, p >= 99.9 ? "p%.2f" : "p%.1f", p);
    });
    histograms.forEach((name, h) -> {
      if (h.getTotalCount() == 0) {
        return;
      }
      List<Double> xs = new ArrayList<>();
      List<Double> ys = new ArrayList<>();
      for (double x = 0; x <= 4.0001; x += 0.05) {
        double p = 100 * (1 - Math.pow(10, -x));
        xs.add(x);
        ys.add(Math.max(0.001, h.getValueAtPercentile(p) / 1000.0));
      }
      line(chart, name, xs.stream().mapToDouble(Double::doubleValue).toArray(),
          ys.stream().mapToDouble(Double::doubleValue).toArray());
    });
    return chart;
  }

  private static XYChart chart(String title, String x, String y) {
    XYChart chart = new XYChartBuilder().width(900).height(500).title(title).xAxisTitle(x).yAxisTitle(y).build();
    chart.getStyler().setMarkerSize(0);
    return chart;
  }

  private static void line(XYChart chart, String name, double[] x, double[] y) {
    XYSeries s = chart.addSeries(name, x, y);
    s.setMarker(SeriesMarkers.NONE);
  }

  private static String save(XYChart chart, Path dir, String file) throws IOException {
    BitmapEncoder.saveBitmap(chart, dir.resolve(file).toString(), BitmapEncoder.BitmapFormat.PNG);
    return file;
  }
}
