package io.taskgrid.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Writes a {@link Report} as report.md, report.json and the PNG plots, into one folder. */
public final class ReportWriter {
  private static final double[] PERCENTILES = {50, 90, 99, 99.9, 100};

  private ReportWriter() {}

  public static void write(Report report, Path dir, String command) throws IOException {
    Files.createDirectories(dir);
    List<String> plots = Plots.draw(report, dir);
    Files.writeString(dir.resolve("report.md"), markdown(report, command, plots));
    JsonMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    Map<String, Object> tree = new LinkedHashMap<>();
    tree.put("command", command);
    tree.put("machine", report.getMachine());
    tree.put("options", report.getOptions());
    tree.put("workloads", report.getWorkloads());
    Map<String, Object> latencies = new LinkedHashMap<>();
    report.latencies().forEach((name, h) -> latencies.put(name, percentilesMs(h)));
    tree.put("latenciesMs", latencies);
    Map<String, Object> series = new LinkedHashMap<>();
    report.series().forEach((name, s) -> series.put(name, s.getPoints()));
    tree.put("series", series);
    json.writeValue(dir.resolve("report.json").toFile(), tree);
  }

  /** p50, p90, p99, p99.9 and max of a histogram of microseconds, in milliseconds. */
  public static Map<String, Double> percentilesMs(Histogram h) {
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("count", (double) h.getTotalCount());
    for (double p : PERCENTILES) {
      out.put(p == 100 ? "max" : "p" + fmt(p), h.getValueAtPercentile(p) / 1000.0);
    }
    return out;
  }

  private static String markdown(Report report, String command, List<String> plots) {
    StringBuilder md = new StringBuilder();
    md.append("# TaskGrid benchmark\n\n");
    md.append("Produced by `").append(command).append("`.\n\n");
    md.append("## Machine\n\n| | |\n|---|---|\n");
    report.getMachine().forEach((k, v) -> md.append("| ").append(k).append(" | ").append(v).append(" |\n"));
    md.append("\n## Targets\n\n| workload | figure | target | TaskGrid | met |\n|---|---|---|---|---|\n");
    for (WorkloadResult w : report.getWorkloads()) {
      for (Figure f : w.getFigures()) {
        if (f.target() != null) {
          md.append("| ").append(w.getTitle()).append(" | ").append(f.name()).append(" | ").append(f.target())
              .append(" | ").append(value(f.taskgrid())).append(' ').append(f.unit()).append(" | ")
              .append(f.met() ? "yes" : "**no**").append(" |\n");
        }
      }
    }
    for (WorkloadResult w : report.getWorkloads()) {
      md.append("\n## ").append(w.getTitle()).append("\n\n");
      if (w.getFigures().isEmpty()) {
        w.getNotes().forEach(n -> md.append("- ").append(n).append('\n'));
        continue;
      }
      md.append("| figure | TaskGrid | DurableExecutorService | IExecutorService | TaskGrid ÷ durable | TaskGrid ÷ executor |\n");
      md.append("|---|---|---|---|---|---|\n");
      for (Figure f : w.getFigures()) {
        md.append("| ").append(f.name()).append(" (").append(f.unit()).append(") | ").append(value(f.taskgrid()))
            .append(" | ").append(value(f.durable())).append(" | ").append(value(f.executor())).append(" | ")
            .append(ratio(f.taskgrid(), f.durable())).append(" | ").append(ratio(f.taskgrid(), f.executor()))
            .append(" |\n");
      }
      if (!w.getNotes().isEmpty()) {
        md.append('\n');
        w.getNotes().forEach(n -> md.append("- ").append(n).append('\n'));
      }
    }
    if (!report.latencies().isEmpty()) {
      md.append("\n## Latency percentiles (ms)\n\n| series | count | p50 | p90 | p99 | p99.9 | max |\n|---|---|---|---|---|---|---|\n");
      report.latencies().forEach((name, h) -> {
        Map<String, Double> p = percentilesMs(h);
        md.append("| ").append(name);
        p.values().forEach(v -> md.append(" | ").append(value(v)));
        md.append(" |\n");
      });
    }
    if (!plots.isEmpty()) {
      md.append("\n## Plots\n\n");
      plots.forEach(p -> md.append("![").append(p).append("](").append(p).append(")\n\n"));
    }
    return md.toString();
  }

  static String value(Double v) {
    if (v == null) {
      return "–";
    }
    if (Math.abs(v) >= 100) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    return fmt(v);
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, v == Math.rint(v) ? "%.0f" : Math.abs(v) >= 10 ? "%.1f" : "%.2f", v);
  }

  private static String ratio(Double a, Double b) {
    return a == null || b == null || b == 0 ? "–" : String.format(Locale.ROOT, "%.2f×", a / b);
  }
}
