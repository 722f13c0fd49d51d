package io.taskgrid.bench.workload;

import io.taskgrid.bench.machine.HostSteal;
import io.taskgrid.bench.machine.MachineSpeed;
import io.taskgrid.bench.report.Figure;
import io.taskgrid.bench.report.WorkloadResult;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The CPU time the node JVMs and this benchmark JVM took over a stretch of the run, from the
 * operating system's accounting of each process. On a machine whose cores the nodes and the load
 * generator share, how busy those cores were is what the latency tail follows, and CPU per task is
 * what the scale estimate starts from (docs/performance.md), so the report carries both.
 *
 * @param seconds wall-clock length of the stretch
 * @param nodeSeconds CPU seconds of all node JVMs together
 * @param benchSeconds CPU seconds of this JVM (the load generator and the client)
 * @param speed how fast a core did arithmetic and cache-missing reads meanwhile, per ns of CPU time
 *     (the same work costing more CPU while loaded shows here, set beside the idle machine's)
 * @param stolen the share of the machine's CPU time the host gave to other guests meanwhile (NaN
 *     where the kernel does not count it): two measurements compare only at like shares
 */
public record CpuUse(double seconds, double nodeSeconds, double benchSeconds, MachineSpeed.Loaded speed,
    double stolen) {
  /** The cores this machine has, which the nodes and the benchmark share. */
  public static final int CORES = Runtime.getRuntime().availableProcessors();

  /** Node CPU milliseconds per unit of work ({@code count} tasks or requests). */
  public double nodeMsPer(long count) {
    return count == 0 ? Double.NaN : 1_000 * nodeSeconds / count;
  }

  /** Cores kept busy on average by the nodes and this JVM together. */
  public double coresBusy() {
    return seconds <= 0 ? Double.NaN : (nodeSeconds + benchSeconds) / seconds;
  }

  /**
   * Adds to {@code result} how fast a core did arithmetic and cache-missing reads while loaded, per
   * ns of CPU time, and the share of CPU time the host stole meanwhile, with {@code suffix} after
   * each figure's name ({@code " @1000/s"}).
   */
  public void addSpeed(WorkloadResult result, String suffix) {
    result.add(Figure.of("arithmetic step while loaded, CPU time" + suffix, "ns", speed.arithmeticNanos()));
    result.add(Figure.of("cache-missing read while loaded, CPU time" + suffix, "ns", speed.memoryNanos()));
    if (!Double.isNaN(stolen)) {
      result.add(Figure.of("CPU time stolen by the host" + suffix, "%", 100 * stolen));
    }
  }

  /** Starts measuring the given node processes and this JVM. */
  public static Meter start(List<Long> nodePids) {
    List<ProcessHandle> nodes = nodePids.stream().map(ProcessHandle::of).flatMap(Optional::stream).toList();
    return new Meter(nodes);
  }

  /** A stretch being measured; {@link #stop} ends it. */
  public static final class Meter {
    private final List<ProcessHandle> nodes;
    private final long startNanos = System.nanoTime();
    private final long nodesAtStart;
    private final long benchAtStart;
    private final MachineSpeed.Sampler speed = MachineSpeed.whileLoaded();
    private final HostSteal steal = HostSteal.start();

    private Meter(List<ProcessHandle> nodes) {
      this.nodes = nodes;
      this.nodesAtStart = cpuNanos(nodes);
      this.benchAtStart = cpuNanos(List.of(ProcessHandle.current()));
    }

    /** What the processes took since {@link CpuUse#start}; the nodes measured must still be alive. */
    public CpuUse stop() {
      MachineSpeed.Loaded loaded = speed.stop();
      return new CpuUse((System.nanoTime() - startNanos) / 1e9, (cpuNanos(nodes) - nodesAtStart) / 1e9,
          (cpuNanos(List.of(ProcessHandle.current())) - benchAtStart) / 1e9, loaded, steal.share().orElse(Double.NaN));
    }

    private static long cpuNanos(List<ProcessHandle> processes) {
      return processes.stream().mapToLong(p -> p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L)).sum();
    }
  }
}
