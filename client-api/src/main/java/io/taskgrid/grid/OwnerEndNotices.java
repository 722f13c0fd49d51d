package io.taskgrid.grid;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.core.LifecycleEvent.LifecycleState;
import com.hazelcast.internal.serialization.Data;
import com.hazelcast.logging.ILogger;
import com.hazelcast.logging.Logger;
import com.hazelcast.map.IMap;
import com.hazelcast.map.impl.MapService;
import com.hazelcast.map.impl.recordstore.RecordStore;
import com.hazelcast.query.impl.QueryableEntry;
import com.hazelcast.spi.impl.NodeEngine;
import com.hazelcast.spi.impl.executionservice.ExecutionService;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * How a member hears of ends: at the tasks' owners, so that no member hears of ends it does not
 * wait for, however large the cluster.
 *
 * <ul>
 *   <li>A wait is counted in, as it begins, in {@value #WAITS_MAP}: a map keyed by task id, so
 *       partitioned (and migrated, and backed up) as the tasks are. Counted out as it ends.
 *   <li>The processor that ends a task ({@link TaskProcessor}) looks it up in the waits there and
 *       then, on the owner's partition thread, which also holds that partition of the waits: no
 *       call, no thread hop, no event. Only a task someone waits for is taken out of the waits,
 *       off that thread, and its waiting members told ({@link EndNotice}, through {@value
 *       #NOTICE_EXECUTOR}).
 *   <li>An end whose owner died before telling anyone: every member reads its waited tasks again
 *       when a member leaves, and after a split heals.
 * </ul>
 *
 * <p>Ordering: a wait reads its task only once its count is in. If that read finds the task
 * unfinished, the end comes later on the same partition, so its owner's look-up finds the count.
 *
 * <p>Why not a local entry listener on each owner: every end then became an event on an event
 * thread and a read of the waits, and in workload 1 the nodes spent 0.05-0.10 ms more CPU per task
 * (0.22-0.27 against 0.16-0.18 ms), waits or not.
 */
final class OwnerEndNotices implements EndHearing {
  /** The waits of members, by task id; configured in hazelcast.yaml. */
  static final String WAITS_MAP = "taskgrid-waits";
  /** The executor that carries end notices between members; configured in hazelcast.yaml. */
  static final String NOTICE_EXECUTOR = "taskgrid-notices";
  /** Key of a member's instance in {@code HazelcastInstance.getUserContext()}, for the processors. */
  static final String CONTEXT_KEY = "taskgrid.ownerEndNotices";
  private static final ILogger LOG = Logger.getLogger(OwnerEndNotices.class);

  private final HazelcastInstance member;
  private final IMap<String, WaitingMembers> waits;
  private final TaskWaits taskWaits;
  private final NodeEngine nodeEngine;
  private final MapService mapService;

  OwnerEndNotices(HazelcastInstance member, TaskWaits taskWaits) {
    this.member = member;
    this.waits = member.getMap(WAITS_MAP);
    this.taskWaits = taskWaits;
    this.nodeEngine = MemberInternals.nodeEngine(member);
    this.mapService = nodeEngine.getService(MapService.SERVICE_NAME);
    member.getUserContext().put(CONTEXT_KEY, this);
    member.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {}

      @Override
      public void memberRemoved(MembershipEvent event) {
        taskWaits.recheckAll();
      }
    });
    member.getLifecycleService().addLifecycleListener(event -> {
      if (event.getState() == LifecycleState.MERGED) {
        taskWaits.recheckAll();
      }
    });
  }

  @Override
  public CompletionStage<Void> waitBegan(String id) {
    return waits.submitToKey(id, new CountWait(self(), +1));
  }

  @Override
  public void waitEnded(String id) {
    // Sent without waiting for it. A count it fails to take out stays until the task ends, which
    // takes the entry (a notice to a member no longer waiting only reads the task).
    waits.submitToKey(id, new CountWait(self(), -1));
  }

  /** Read at each use: a member that rejoins after a split does so under a new id. */
  private UUID self() {
    return member.getCluster().getLocalMember().getUuid();
  }

  /**
   * A task this member owns has just ended: called by the processor that ended it, on the
   * partition thread, which alone changes that partition's waits. Costs a look-up in a map of the
   * partition's maps when nobody waits there.
   */
  void taskEnded(Map.Entry<String, TaskRecord> entry) {
    Data key = entry instanceof QueryableEntry<?, ?> stored ? stored.getKeyData() : nodeEngine.toData(entry.getKey());
    RecordStore<?> waiting = mapService.getMapServiceContext()
        .getExistingRecordStore(nodeEngine.getPartitionService().getPartitionId(key), WAITS_MAP);
    if (waiting != null && !waiting.isEmpty() && waiting.existInMemory(key)) {
      String id = entry.getKey();
      nodeEngine.getExecutionService().execute(ExecutionService.ASYNC_EXECUTOR, () -> take(id));
    }
  }

  /** Takes the task's waits out and tells the members that were waiting. */
  private void take(String id) {
    waits.submitToKey(id, new TakeWaits()).whenComplete((waiting, error) -> {
      if (error != null) {
        // The waiters read their tasks again if this member is leaving; otherwise their time runs out.
        if (member.getLifecycleService().isRunning()) {
          LOG.warning("could not tell the waits for task " + id + " that it ended", error);
        }
      } else if (waiting != null) {
        waiting.members().forEach(uuid -> tell(uuid, id));
      }
    });
  }

  private void tell(UUID uuid, String id) {
    if (uuid.equals(self())) {
      taskWaits.ended(id);
      return;
    }
    for (Member waiting : member.getCluster().getMembers()) {
      if (waiting.getUuid().equals(uuid)) {
        try {
          IExecutorService notices = member.getExecutorService(NOTICE_EXECUTOR);
          notices.executeOnMember(new EndNotice(id), waiting);
        } catch (RuntimeException e) {
          LOG.warning("could not tell " + waiting + " that task " + id + " ended", e);
        }
        return;
      }
    }
    // A member that has left: nobody is waiting there any more.
  }
}
