package io.taskgrid.node.membership;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.MapPartitionLostEvent;
import com.hazelcast.partition.MigrationListener;
import com.hazelcast.partition.MigrationState;
import com.hazelcast.partition.Partition;
import com.hazelcast.partition.ReplicaMigrationEvent;
import io.taskgrid.node.dispatch.Dispatcher;
import io.taskgrid.node.dispatch.LoadBoard;
import io.taskgrid.node.dispatch.Reconciler;
import io.taskgrid.node.dispatch.RunningIndex;
import io.taskgrid.grid.TaskStore;
import io.taskgrid.node.persistence.JournalAdoption;
import io.taskgrid.node.persistence.LostPartitionReload;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * Reacts to members leaving and partitions moving.
 *
 * <p>When a member leaves, the tasks it was running go back to PENDING at once, the lost attempt
 * counted: first those in partitions this node already owns (from the running index), then,
 * once no partition is owned by the departed member any more (its backups have been promoted,
 * perhaps here), a reconciliation finds the rest. Each requeue is a fenced entry processor, so
 * several nodes doing it, or doing it late, is harmless. With persistence, the same moment the
 * oldest member also enters what the departed member had journaled but not entered ({@link
 * JournalAdoption}).
 *
 * <p>When members die together, a partition may lose its owner and its backup at once: Hazelcast
 * then gives it a new, empty owner and says so to every member. Once every such partition has
 * its owner, the oldest member enters their unfinished tasks again from the database ({@link
 * LostPartitionReload}); without persistence they are gone, and it says so. The other members
 * keep both steps in mind until the oldest has taken them ({@link DatabaseRecovery}).
 */
@Component
public class MembershipWatcher implements MembershipListener, MigrationListener {
  private static final Logger log = LoggerFactory.getLogger(MembershipWatcher.class);
  private static final long PROMOTION_CHECK_MS = 20;
  private static final long PROMOTION_GIVE_UP_MS = 60_000;

  private final HazelcastInstance hazelcast;
  private final RunningIndex running;
  private final Reconciler reconciler;
  private final LoadBoard board;
  private final Dispatcher dispatcher;
  private final ScheduledExecutorService scheduler;
  private final DatabaseRecovery recovery;
  // Partitions of the task map heard lost and not yet reloaded: added by Hazelcast's event
  // threads, drained by the scheduler's, hence concurrent; reloadScheduled makes a burst one run.
  private final Set<Integer> lostPartitions = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean reloadScheduled = new AtomicBoolean();
  private UUID membershipRegistration;
  private UUID migrationRegistration;
  private UUID partitionLostRegistration;

  public MembershipWatcher(HazelcastInstance hazelcast, RunningIndex running, Reconciler reconciler, LoadBoard board,
      Dispatcher dispatcher, @Qualifier("taskgridScheduler") ScheduledExecutorService scheduler,
      ObjectProvider<JournalAdoption> journalAdoption, ObjectProvider<LostPartitionReload> lostPartitionReload) {
    this.hazelcast = hazelcast;
    this.running = running;
    this.reconciler = reconciler;
    this.board = board;
    this.dispatcher = dispatcher;
    this.scheduler = scheduler;
    this.recovery = new DatabaseRecovery(hazelcast, scheduler, journalAdoption, lostPartitionReload);
  }

  public void start() {
    recovery.start();
    membershipRegistration = hazelcast.getCluster().addMembershipListener(this);
    migrationRegistration = hazelcast.getPartitionService().addMigrationListener(this);
    partitionLostRegistration = hazelcast.getMap(TaskStore.TASKS_MAP).addPartitionLostListener(this::partitionLost);
  }

  public void stop() {
    if (membershipRegistration != null) {
      hazelcast.getCluster().removeMembershipListener(membershipRegistration);
      hazelcast.getPartitionService().removeMigrationListener(migrationRegistration);
      hazelcast.getMap(TaskStore.TASKS_MAP).removePartitionLostListener(partitionLostRegistration);
    }
    recovery.stop();
  }

  @Override
  public void memberAdded(MembershipEvent event) {
    log.info("Node {} joined", event.getMember().getAddress());
    dispatcher.wake();
  }

  @Override
  public void memberRemoved(MembershipEvent event) {
    Member gone = event.getMember();
    String goneId = gone.getUuid().toString();
    log.info("Node {} ({}) left; requeueing its running tasks", gone.getAddress(), goneId);
    board.remove(goneId);
    for (RunningIndex.Attempt attempt : running.all()) {
      if (goneId.equals(attempt.node())) {
        reconciler.requeueLost(attempt, "node " + goneId + " left the cluster while running attempt "
            + attempt.attempt());
      }
    }
    reconciler.requestSoon();
    recovery.memberLeft();
    awaitPromotion(gone, System.currentTimeMillis() + PROMOTION_GIVE_UP_MS);
  }

  private void awaitPromotion(Member gone, long giveUpAt) {
    scheduler.schedule(() -> {
      if (ownsNoPartition(gone)) {
        recovery.adoptJournal(gone);
        reconciler.requestSoon();
      } else if (System.currentTimeMillis() < giveUpAt && hazelcast.getLifecycleService().isRunning()) {
        awaitPromotion(gone, giveUpAt);
      }
    }, PROMOTION_CHECK_MS, TimeUnit.MILLISECONDS);
  }

  private void partitionLost(MapPartitionLostEvent event) {
    lostPartitions.add(event.getPartitionId());
    if (reloadScheduled.compareAndSet(false, true)) {
      awaitOwners(System.currentTimeMillis() + PROMOTION_GIVE_UP_MS);
    }
  }

  /** Waits until every lost partition has its new owner, then has their tasks reloaded. */
  private void awaitOwners(long giveUpAt) {
    scheduler.schedule(() -> {
      Set<Integer> ownerless = hazelcast.getPartitionService().getPartitions().stream()
          .filter(p -> p.getOwner() == null).map(Partition::getPartitionId).collect(Collectors.toSet());
      boolean owned = lostPartitions.stream().noneMatch(ownerless::contains);
      if (!owned && System.currentTimeMillis() < giveUpAt && hazelcast.getLifecycleService().isRunning()) {
        awaitOwners(giveUpAt);
        return;
      }
      reloadScheduled.set(false);
      Set<Integer> lost = new HashSet<>(lostPartitions);
      lostPartitions.removeAll(lost);
      if (!lost.isEmpty()) {
        recovery.reloadLost(lost);
      }
    }, PROMOTION_CHECK_MS, TimeUnit.MILLISECONDS);
  }

  /** The departed members whose journal adoption this node keeps for a takeover; for tests. */
  Set<String> keptAdoptions() {
    return recovery.keptAdoptions();
  }

  private boolean ownsNoPartition(Member gone) {
    for (Partition partition : hazelcast.getPartitionService().getPartitions()) {
      Member owner = partition.getOwner();
      if (owner == null || owner.getUuid().equals(gone.getUuid())) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void migrationStarted(MigrationState state) {}

  @Override
  public void migrationFinished(MigrationState state) {
    reconciler.requestSoon();
  }

  @Override
  public void replicaMigrationCompleted(ReplicaMigrationEvent event) {
    if (event.getReplicaIndex() == 0 && event.getDestination() != null && event.getDestination().localMember()) {
      reconciler.requestSoon();
    }
  }

  @Override
  public void replicaMigrationFailed(ReplicaMigrationEvent event) {
    reconciler.requestSoon();
  }
}
