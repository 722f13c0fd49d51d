package io.taskgrid.bench.workload;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.IExecutorService;
import io.taskgrid.bench.baseline.BaselineMember;
import io.taskgrid.bench.baseline.RawLimitProbe;
import io.taskgrid.bench.cluster.BaselineCluster;
import java.util.Map;
import java.util.concurrent.Future;

/**
 * The ceiling: batched entry processors from every member on keys it owns, all members at once,
 * on plain Hazelcast members with TaskGrid's cluster settings. Entries changed per second.
 */
public final class RawLimit {
  private RawLimit() {}

  public static double entriesPerSecond(BaselineCluster cluster, long millis) throws Exception {
    IExecutorService executor = cluster.client().getExecutorService(BaselineMember.EXECUTOR);
    Map<Member, Future<Long>> counts = executor.submitToAllMembers(new RawLimitProbe(millis));
    long total = 0;
    for (Future<Long> f : counts.values()) {
      total += f.get();
    }
    return total / (millis / 1000.0);
  }
}
