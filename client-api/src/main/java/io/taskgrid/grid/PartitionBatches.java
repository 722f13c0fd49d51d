package io.taskgrid.grid;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.serialization.SerializationService;
import com.hazelcast.internal.util.ConcurrencyUtil;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.impl.MapEntries;
import com.hazelcast.map.impl.MapService;
import com.hazelcast.spi.impl.NodeEngine;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Runs an entry processor on many keys of a member's map: one operation per partition, sent
 * straight to the partition. This is what {@code IMap.submitToKeys} does, without two of its
 * costs: it wraps the partitions' operations in one per member and hands each answer through two
 * more threads before the caller's callback runs (thread hops, each a wait for a core on 2 busy
 * CPUs: one node ran 17 % more no-op tasks a second without them, docs/performance.md), and it
 * always backs the changes up asynchronously, so that its answer does not mean the backup has
 * them. Here the caller chooses: {@link #submit} answers once the backups have applied the change
 * (a new task must survive its owner's death once acknowledged), {@link #submitBackupFollowing}
 * as soon as the owners have (a claim or an outcome, whose loss costs a second run, not a task).
 *
 * <p>Member only: it reaches into Hazelcast's operation service, an internal API (Hazelcast 5.7.0;
 * {@code PartitionBatchesTest} checks it). Answers on the thread that completes the operation,
 * a Hazelcast thread: callbacks must not block.
 */
public final class PartitionBatches {
  private final NodeEngine nodeEngine;
  private final SerializationService serialization;
  private final String mapName;

  public PartitionBatches(HazelcastInstance member, String mapName) {
    this.nodeEngine = MemberInternals.nodeEngine(member);
    this.serialization = nodeEngine.getSerializationService();
    this.mapName = mapName;
  }

  /** Runs {@code processor} on each key; answers its non-null results by key once the backups have them too. */
  public <R> CompletableFuture<Map<String, R>> submit(Collection<String> keys,
      EntryProcessor<String, TaskRecord, R> processor) {
    return submit(keys, processor, true);
  }

  /**
   * Runs {@code processor} on each key; answers its non-null results by key once the owners have
   * applied it, the backups following (Hazelcast's {@code submitToKeys} semantics).
   */
  public <R> CompletableFuture<Map<String, R>> submitBackupFollowing(Collection<String> keys,
      EntryProcessor<String, TaskRecord, R> processor) {
    return submit(keys, processor, false);
  }

  private <R> CompletableFuture<Map<String, R>> submit(Collection<String> keys,
      EntryProcessor<String, TaskRecord, R> processor, boolean syncBackups) {
    Map<Integer, Set<Data>> byPartition = new HashMap<>();
    for (String key : keys) {
      Data data = serialization.toData(key);
      byPartition.computeIfAbsent(nodeEngine.getPartitionService().getPartitionId(data), p -> new LinkedHashSet<>())
          .add(data);
    }
    List<CompletableFuture<MapEntries>> sent = new ArrayList<>(byPartition.size());
    byPartition.forEach((partition, partitionKeys) -> sent.add(send(partition, partitionKeys, processor, syncBackups)));
    CompletableFuture<Map<String, R>> all = new CompletableFuture<>();
    CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).whenComplete((done, error) -> {
      if (error != null) {
        all.completeExceptionally(error instanceof CompletionException ? error.getCause() : error);
        return;
      }
      try {
        Map<String, R> results = new HashMap<>();
        sent.forEach(entries -> entries.join().putAllToMap(serialization, results));
        all.complete(results);
      } catch (RuntimeException e) {
        all.completeExceptionally(e);
      }
    });
    return all;
  }

  private CompletableFuture<MapEntries> send(int partition, Set<Data> keys, EntryProcessor<?, ?, ?> processor,
      boolean syncBackups) {
    CompletableFuture<MapEntries> answer = new CompletableFuture<>();
    nodeEngine.getOperationService()
        .<MapEntries>invokeOnPartition(MapService.SERVICE_NAME,
            new PartitionBatchOperation(mapName, keys, processor, syncBackups), partition)
        .whenCompleteAsync((entries, error) -> {
          if (error != null) {
            answer.completeExceptionally(error);
          } else {
            answer.complete(entries);
          }
        }, ConcurrencyUtil.CALLER_RUNS);
    return answer;
  }
}
