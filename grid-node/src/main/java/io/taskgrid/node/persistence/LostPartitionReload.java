package io.taskgrid.node.persistence;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.partition.PartitionService;
import io.taskgrid.grid.ReenterFromDatabase;
import java.util.List;
import java.util.Set;

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
  private final HazelcastInstance hazelcast;
  private final TaskMapStore database;
  private final Reentry reentry;

  LostPartitionReload(HazelcastInstance hazelcast, TaskMapStore database, Reentry reentry) {
    this.hazelcast = hazelcast;
    this.database = database;
    this.reentry = reentry;
  }

  /**
   * Enters the unfinished tasks the database holds in {@code partitions}; answers how many it
   * entered. The first time, every one of them, since a task read meanwhile is in memory on its
   * owner alone; {@code again} (a step taken over from a member that died during it), only those
   * still absent.
   */
  public int reload(Set<Integer> partitions, boolean again) {
    PartitionService partitionService = hazelcast.getPartitionService();
    List<String> ids = database.unfinishedIds(id -> partitions.contains(partitionService.getPartition(id).getPartitionId()));
    return again ? reentry.absentTasks(ids) : reentry.everyTask(ids);
  }
}
