package io.taskgrid.node.persistence;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.partition.PartitionService;
import io.taskgrid.grid.ReenterFromDatabase;
import io.taskgrid.grid.TaskStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * Enters tasks again from the database by id, through {@link ReenterFromDatabase}: one call per
 * partition of at most 1,000 keys, 8 calls in flight, wherever the partitions' owners are.
 */
class Reentry {
  // Keys per call: a bounded batch of records in flight, payloads included.
  private static final int CHUNK = 1_000;
  // Calls in flight at once.
  private static final int IN_FLIGHT = 8;

  private final HazelcastInstance hazelcast;
  private final TaskStore store;
  private final Clock clock;

  Reentry(HazelcastInstance hazelcast, TaskStore store, Clock clock) {
    this.hazelcast = hazelcast;
    this.store = store;
    this.clock = clock;
  }

  /** Enters these tasks, those in memory too ({@link ReenterFromDatabase#everyTask}); answers how many it set. */
  int everyTask(Collection<String> ids) {
    return send(ids, ReenterFromDatabase::everyTask);
  }

  /**
   * Enters those of these tasks that are not in memory ({@link ReenterFromDatabase#absentTasks});
   * answers how many.
   */
  int absentTasks(Collection<String> ids) {
    return send(ids, ReenterFromDatabase::absentTasks);
  }

  private int send(Collection<String> ids, BiFunction<Set<String>, Long, ReenterFromDatabase> processor) {
    PartitionService partitions = hazelcast.getPartitionService();
    Set<String> members = hazelcast.getCluster().getMembers().stream()
        .map(Member::getUuid).map(Object::toString).collect(Collectors.toSet());
    long now = clock.millis();
    Map<Integer, List<String>> byPartition = ids.stream()
        .collect(Collectors.groupingBy(id -> partitions.getPartition(id).getPartitionId()));
    List<CompletableFuture<Map<String, Boolean>>> sent = new ArrayList<>();
    int entered = 0;
    for (List<String> partitionIds : byPartition.values()) {
      for (int from = 0; from < partitionIds.size(); from += CHUNK) {
        // A processor per call: the owner's fills as it goes, and one call of one partition's keys
        // is one operation, so no two partition threads share it.
        Set<String> keys = new HashSet<>(partitionIds.subList(from, Math.min(partitionIds.size(), from + CHUNK)));
        sent.add(store.map().submitToKeys(keys, processor.apply(members, now)).toCompletableFuture());
        if (sent.size() == IN_FLIGHT) {
          entered += joinAll(sent);
        }
      }
    }
    return entered + joinAll(sent);
  }

  /** Waits for the calls sent; answers how many tasks they set. */
  private static int joinAll(List<CompletableFuture<Map<String, Boolean>>> sent) {
    int entered = 0;
    for (CompletableFuture<Map<String, Boolean>> call : sent) {
      entered += (int) call.join().values().stream().filter(Boolean::booleanValue).count();
    }
    sent.clear();
    return entered;
  }
}
