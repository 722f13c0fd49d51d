package io.taskgrid.node.persistence;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.partition.PartitionService;
import io.taskgrid.grid.TaskStore;
import io.taskgrid.node.dispatch.Reconciler;
import java.util.HashSet;
import java.util.List;

/**
 * Enters the submissions a departed member journaled but never entered: rows the database holds
 * PENDING, journaled by that member, that no member holds in memory. A member that dies between
 * its journal's commit and its submit processor leaves such rows, and nothing else would bring
 * them in before the whole cluster restarts. Each survivor runs it for the partitions it owns once
 * the departed member's have been promoted: a read of an absent key loads it from the database,
 * and the {@link Reconciler} then indexes what it finds here. The tasks the departed member had
 * entered are in memory already, so reading them changes nothing.
 */
public class JournalAdoption {
  // Keys read per call: a bounded batch of records in flight, payloads included.
  private static final int CHUNK = 1_000;

  private final HazelcastInstance hazelcast;
  private final TaskStore store;
  private final TaskMapStore database;
  private final Reconciler reconciler;

  public JournalAdoption(HazelcastInstance hazelcast, TaskStore store, TaskMapStore database, Reconciler reconciler) {
    this.hazelcast = hazelcast;
    this.store = store;
    this.database = database;
    this.reconciler = reconciler;
  }

  /**
   * Brings into the map the rows {@code memberId} journaled that are still PENDING and fall in
   * partitions this member owns; answers how many such rows it read (entered or found in memory).
   */
  public int adopt(String memberId) {
    PartitionService partitions = hazelcast.getPartitionService();
    List<String> here = database.pendingJournaledBy(memberId).stream()
        .filter(id -> {
          Member owner = partitions.getPartition(id).getOwner();
          return owner != null && owner.localMember();
        })
        .toList();
    for (int from = 0; from < here.size(); from += CHUNK) {
      store.map().getAll(new HashSet<>(here.subList(from, Math.min(here.size(), from + CHUNK))));
    }
    if (!here.isEmpty()) {
      reconciler.requestSoon();
    }
    return here.size();
  }
}
