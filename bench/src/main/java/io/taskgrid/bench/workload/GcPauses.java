package io.taskgrid.bench.workload;

import io.taskgrid.bench.cluster.NodeMetrics;
import io.taskgrid.bench.report.Figure;
import io.taskgrid.bench.report.WorkloadResult;

/**
 * The GC pauses the node JVMs took while a workload ran, from their own {@code jvm.gc.pause}
 * meters. A request waits out any pause of a node it touches, so the share of time paused says how
 * many requests meet one, and the mean length what each of those waits.
 *
 * @param pauses pauses of every node together
 * @param seconds their total length
 * @param elapsedSeconds how long the workload ran
 * @param nodes how many nodes were measured
 */
public record GcPauses(long pauses, double seconds, double elapsedSeconds, int nodes) {

  /** The pauses between two scrapes of the same nodes. */
  public static GcPauses between(NodeMetrics.Totals before, NodeMetrics.Totals after, double elapsedSeconds,
      int nodes) {
    return new GcPauses(after.gcPauses() - before.gcPauses(), after.gcPauseSeconds() - before.gcPauseSeconds(),
        elapsedSeconds, nodes);
  }

  /** Adds the mean pause and the share of each node's time paused, if there was any pause. */
  public void addTo(WorkloadResult result, String suffix) {
    if (pauses <= 0 || elapsedSeconds <= 0 || nodes <= 0) {
      return;
    }
    result.add(Figure.of("node GC pause, mean" + suffix, "ms", seconds * 1000 / pauses));
    result.add(Figure.of("node time paused for GC, mean per node" + suffix, "%",
        seconds * 100 / (elapsedSeconds * nodes)));
  }
}
