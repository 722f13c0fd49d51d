package io.taskgrid.bench.report;

import java.util.ArrayList;
import java.util.List;

/**
 * Progress of one run over time, sampled: completed tasks and tasks waiting, from which the plots
 * draw throughput and queue depth. Appended to by one sampler thread, read after it stopped.
 */
public final class TimeSeries {
  /** One sample: seconds since the run began, tasks completed, tasks waiting. */
  public record Point(double seconds, long completed, long queued) {}

  private final String name;
  private final List<Point> points = new ArrayList<>();

  public TimeSeries(String name) {
    this.name = name;
  }

  public synchronized void add(double seconds, long completed, long queued) {
    points.add(new Point(seconds, completed, queued));
  }

  public String getName() {
    return name;
  }

  public synchronized List<Point> getPoints() {
    return List.copyOf(points);
  }
}
