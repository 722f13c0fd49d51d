package io.taskgrid.node.persistence;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.partition.PartitionService;
import io.taskgrid.grid.ReenterFromDatabase;
import io.taskgrid.grid.TaskStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * Brings back from the database the unfinished tasks of partitions lost with all their copies:
 * when a task's owner and its backup die together (two members at once with {@code backup-count:
 * 1}), Hazelcast gives the partition a new, empty owner, and nothing else would bring those tasks
 * into memory, to run, before the whole cluster restarts. Each task is entered by an entry
 * processor ({@link ReenterFromDatabase}) that loads it on its owner, backs it up and indexes it
 * there; an attempt the database holds as running on a node that is gone is requeued in the same
 * step. A task that ended in the last second before the loss (write-behind) may thus run again, as
 * after a whole-cluster crash.
 */
public class LostPartitionReload {
  // Keys per call: a bounded batch of records in flight, payloads included.
  private static final int CHUNK = 1_000;
  // Calls in flight at once.
  private static final int IN_FLIGHT = 8;

  private final HazelcastInstance hazelcast;
  private final TaskStore store;
  private final TaskMapStore database;
  private final Clock clock;

  public LostPartitionReload(HazelcastInstance hazelcast, TaskStore store, TaskMapStore database, Clock clock) {
    this.hazelcast = hazelcast;
    this.store = store;
    this.database = database;
    this.clock = clock;
  }

  /** Enters the unfinished tasks the database holds in {@code partitions}; answers how many. */
  public int reload(Set<Integer> partitions) {
    PartitionService partitionService = hazelcast.getPartitionService();
    List<String> ids = database.unfinishedIds(id -> partitions.contains(partitionService.getPartition(id).getPartitionId()));
    Set<String> members = hazelcast.getCluster().getMembers().stream()
        .map(Member::getUuid).map(Object::toString).collect(Collectors.toSet());
    long now = clock.millis();
    Map<Integer, List<String>> byPartition = ids.stream()
        .collect(Collectors.groupingBy(id -> partitionService.getPartition(id).getPartitionId()));
    List<CompletableFuture<?>> sent = new ArrayList<>();
    for (List<String> partitionIds : byPartition.values()) {
      for (int from = 0; from < partitionIds.size(); from += CHUNK) {
        // A processor per call: the owner's fills as it goes, and one call of one partition's keys
        // is one operation, so no two partition threads share it.
        Set<String> keys = new HashSet<>(partitionIds.subList(from, Math.min(partitionIds.size(), from + CHUNK)));
        sent.add(store.map().submitToKeys(keys, new ReenterFromDatabase(members, now)).toCompletableFuture());
        if (sent.size() == IN_FLIGHT) {
          joinAll(sent);
        }
      }
    }
    joinAll(sent);
    return ids.size();
  }

  private static void joinAll(List<CompletableFuture<?>> sent) {
    CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
    sent.clear();
  }
}
