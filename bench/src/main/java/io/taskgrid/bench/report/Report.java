package io.taskgrid.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Everything a run measured: the machine it ran on, each workload's result, and the series and
 * latency histograms the plots are drawn from.
 */
public final class Report {
  private final Map<String, Object> machine;
  private final Map<String, Object> options;
  private final List<WorkloadResult> workloads = new ArrayList<>();
  private final Map<String, TimeSeries> series = new LinkedHashMap<>();
  private final Map<String, Histogram> latencies = new LinkedHashMap<>();

  public Report(Map<String, Object> machine, Map<String, Object> options) {
    this.machine = new LinkedHashMap<>(machine);
    this.options = options;
  }

  public synchronized void add(WorkloadResult result) {
    workloads.add(result);
  }

  /** A series to plot (throughput, queue depth), keyed by what ran. */
  public synchronized void series(TimeSeries timeSeries) {
    series.put(timeSeries.getName(), timeSeries);
  }

  /** A latency distribution to plot, in microseconds. */
  public synchronized void latency(String name, Histogram histogram) {
    latencies.put(name, histogram);
  }

  /** A fact about the machine learned while the run went on (how much CPU the host took, say). */
  public synchronized void machineFact(String name, Object value) {
    machine.put(name, value);
  }

  public synchronized Map<String, Object> getMachine() {
    return new LinkedHashMap<>(machine);
  }

  public Map<String, Object> getOptions() {
    return options;
  }

  public synchronized List<WorkloadResult> getWorkloads() {
    return List.copyOf(workloads);
  }

  public synchronized Map<String, TimeSeries> series() {
    return new LinkedHashMap<>(series);
  }

  public synchronized Map<String, Histogram> latencies() {
    return new LinkedHashMap<>(latencies);
  }
}
