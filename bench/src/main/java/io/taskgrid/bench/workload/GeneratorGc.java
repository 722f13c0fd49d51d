package io.taskgrid.bench.workload;

import io.taskgrid.bench.report.Figure;
import io.taskgrid.bench.report.WorkloadResult;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/**
 * The benchmark JVM's own GC, as a load generator. It shares the machine with the nodes, and while
 * it pauses every request that falls due waits, counted in the submit latency as if a node had
 * paused. Session 24 found a 48 ms young pause and a 25 ms remark pause of this JVM inside a
 * measured 1,000/s phase: the eden it entered the phase with held the previous rate's read-back of
 * its tasks. So a rate starts with {@link #collect} (outside the measured window), and the report
 * gives the pauses taken inside it, which should be none.
 *
 * @param pauses collections counted by the JVM's collector beans (young and full; on JDK 17 G1's
 *     remark and cleanup pauses are not counted)
 * @param seconds their total length
 */
record GeneratorGc(long pauses, double seconds) {

  /** The collections so far. */
  static GeneratorGc now() {
    long count = 0;
    long millis = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      count += Math.max(0, gc.getCollectionCount());
      millis += Math.max(0, gc.getCollectionTime());
    }
    return new GeneratorGc(count, millis / 1000.0);
  }

  /**
   * Collects the whole heap now, so that the young generation is empty when a measured phase
   * begins: the few MB a phase allocates (a couple of KB a request) then fit in it.
   */
  static GeneratorGc collect() {
    System.gc();
    return now();
  }

  /** The collections since {@code before}. */
  GeneratorGc since(GeneratorGc before) {
    return new GeneratorGc(pauses - before.pauses, seconds - before.seconds);
  }

  /** Adds how many pauses the load generator took and their total length. */
  void addTo(WorkloadResult result, String suffix) {
    result.add(Figure.of("load generator GC pauses" + suffix, "pauses", pauses));
    result.add(Figure.of("load generator GC pauses, total" + suffix, "ms", seconds * 1000));
  }
}
