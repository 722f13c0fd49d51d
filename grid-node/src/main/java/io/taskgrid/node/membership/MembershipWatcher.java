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
import io.taskgrid.node.execution.Worker;
import io.taskgrid.grid.TaskStore;
import io.taskgrid.node.persistence.JournalAdoption;
import io.taskgrid.node.persistence.LostPartitionReload;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
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
 * several nodes doing it, or doing it late, is harmless. With persistence, the same moment each
 * node also enters what the departed member had journaled but not entered ({@link JournalAdoption}).
 *
 * <p>When members die together, a partition may lose its owner and its backup at once: Hazelcast
 * then gives it a new, empty owner and says so to every member. Once every such partition has
 * its owner, the oldest member enters their unfinished tasks again from the database ({@link
 * LostPartitionReload}); without persistence they are gone, and it says so.
 */
@Component
public class MembershipWatcher implements MembershipListener, MigrationListener {
  private static final Logger log = LoggerFactory.getLogger(MembershipWatcher.class);
  private static final long PROMOTION_CHECK_MS = 20;
  private static final long PROMOTION_GIVE_UP_MS = 60_000;
  // A database step (adoption, reload) is tried again, 5 s later, then 10 s … up to once a minute,
  // for as long as the node runs: nothing else brings those tasks in before a restart.
  private static final long DATABASE_RETRY_MS = 5_000;
  private static final long DATABASE_RETRY_MAX_MS = 60_000;

  private final HazelcastInstance hazelcast;
  private final RunningIndex running;
  private final Reconciler reconciler;
  private final LoadBoard board;
  private final Dispatcher dispatcher;
  private final ScheduledExecutorService scheduler;
  private final ObjectProvider<JournalAdoption> journalAdoption;
  private final ObjectProvider<LostPartitionReload> lostPartitionReload;
  // Partitions of the task map heard lost and not yet reloaded: added by Hazelcast's event
  // threads, drained by the scheduler's, hence concurrent; reloadScheduled makes a burst one run.
  private final Set<Integer> lostPartitions = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean reloadScheduled = new AtomicBoolean();
  // The database steps (adoption, reload) block on the database and the grid for as long as they
  // take, thousands of tasks for a reload: on a thread of their own, one step at a time, so that the
  // duties thread goes on renewing leases meanwhile. No thread while there is nothing to do.
  private final ThreadPoolExecutor recovery = new ThreadPoolExecutor(0, 1, 30, TimeUnit.SECONDS,
      new LinkedBlockingQueue<>(), Worker.named("taskgrid-recovery-"), new ThreadPoolExecutor.DiscardPolicy());
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
    this.journalAdoption = journalAdoption;
    this.lostPartitionReload = lostPartitionReload;
  }

  public void start() {
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
    recovery.shutdownNow();
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
    awaitPromotion(gone, System.currentTimeMillis() + PROMOTION_GIVE_UP_MS);
  }

  private void awaitPromotion(Member gone, long giveUpAt) {
    scheduler.schedule(() -> {
      if (ownsNoPartition(gone)) {
        adoptJournal(gone);
        reconciler.requestSoon();
      } else if (System.currentTimeMillis() < giveUpAt && hazelcast.getLifecycleService().isRunning()) {
        awaitPromotion(gone, giveUpAt);
      }
    }, PROMOTION_CHECK_MS, TimeUnit.MILLISECONDS);
  }

  /**
   * Enters what the departed member journaled and never entered, in the partitions owned here
   * ({@link JournalAdoption}; only when the node persists tasks).
   */
  private void adoptJournal(Member gone) {
    JournalAdoption adoption = journalAdoption.getIfAvailable();
    if (adoption != null) {
      withRetries("read the tasks journaled by departed node " + gone.getUuid(), () -> {
        int read = adoption.adopt(gone.getUuid().toString());
        if (read > 0) {
          log.info("Read {} pending tasks journaled by departed node {} into their partitions here", read, gone.getUuid());
        }
      }, 1);
    }
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
      if (!lost.isEmpty() && isOldest()) {
        reloadLost(lost);
      }
    }, PROMOTION_CHECK_MS, TimeUnit.MILLISECONDS);
  }

  /** Enters the unfinished tasks of {@code lost} again from the database ({@link LostPartitionReload}). */
  private void reloadLost(Set<Integer> lost) {
    LostPartitionReload reload = lostPartitionReload.getIfAvailable();
    if (reload == null) {
      log.error("Partitions {} of the tasks were lost with every copy (their owner and backup died together), and "
          + "persistence is off: their tasks are gone", lost);
      return;
    }
    withRetries("reload the tasks of lost partitions " + lost, () -> log.warn(
        "Partitions {} of the tasks were lost with every copy (their owner and backup died together); entered their "
            + "{} unfinished tasks again from the database", lost, reload.reload(lost)), 1);
  }

  /**
   * Runs a step that reads the database, on the recovery thread. The database may be away for a
   * while (a PostgreSQL failover takes a minute or two): the step is tried again until it works,
   * at most once a minute, while the node runs.
   */
  private void withRetries(String what, Runnable step, int attempt) {
    recovery.execute(() -> {
      if (!hazelcast.getLifecycleService().isRunning()) {
        return;
      }
      try {
        step.run();
      } catch (RuntimeException e) {
        long delay = Math.min(DATABASE_RETRY_MS * attempt, DATABASE_RETRY_MAX_MS);
        log.warn("Could not {} (attempt {}), trying again in {} s: {}", what, attempt, delay / 1000, e.toString());
        scheduler.schedule(() -> withRetries(what, step, attempt + 1), delay, TimeUnit.MILLISECONDS);
      }
    });
  }

  private boolean isOldest() {
    return hazelcast.getCluster().getMembers().iterator().next().localMember();
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
