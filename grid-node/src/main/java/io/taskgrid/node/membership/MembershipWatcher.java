package io.taskgrid.node.membership;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.partition.MigrationListener;
import com.hazelcast.partition.MigrationState;
import com.hazelcast.partition.Partition;
import com.hazelcast.partition.ReplicaMigrationEvent;
import io.taskgrid.node.dispatch.Dispatcher;
import io.taskgrid.node.dispatch.LoadBoard;
import io.taskgrid.node.dispatch.Reconciler;
import io.taskgrid.node.dispatch.RunningIndex;
import io.taskgrid.node.persistence.JournalAdoption;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
 */
@Component
public class MembershipWatcher implements MembershipListener, MigrationListener {
  private static final Logger log = LoggerFactory.getLogger(MembershipWatcher.class);
  private static final long PROMOTION_CHECK_MS = 20;
  private static final long PROMOTION_GIVE_UP_MS = 60_000;
  private static final int ADOPTION_TRIES = 12;
  private static final long ADOPTION_RETRY_MS = 5_000;

  private final HazelcastInstance hazelcast;
  private final RunningIndex running;
  private final Reconciler reconciler;
  private final LoadBoard board;
  private final Dispatcher dispatcher;
  private final ScheduledExecutorService scheduler;
  private final ObjectProvider<JournalAdoption> journalAdoption;
  private UUID membershipRegistration;
  private UUID migrationRegistration;

  public MembershipWatcher(HazelcastInstance hazelcast, RunningIndex running, Reconciler reconciler, LoadBoard board,
      Dispatcher dispatcher, @Qualifier("taskgridScheduler") ScheduledExecutorService scheduler,
      ObjectProvider<JournalAdoption> journalAdoption) {
    this.hazelcast = hazelcast;
    this.running = running;
    this.reconciler = reconciler;
    this.board = board;
    this.dispatcher = dispatcher;
    this.scheduler = scheduler;
    this.journalAdoption = journalAdoption;
  }

  public void start() {
    membershipRegistration = hazelcast.getCluster().addMembershipListener(this);
    migrationRegistration = hazelcast.getPartitionService().addMigrationListener(this);
  }

  public void stop() {
    if (membershipRegistration != null) {
      hazelcast.getCluster().removeMembershipListener(membershipRegistration);
      hazelcast.getPartitionService().removeMigrationListener(migrationRegistration);
    }
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
        adoptJournal(gone, 1);
        reconciler.requestSoon();
      } else if (System.currentTimeMillis() < giveUpAt && hazelcast.getLifecycleService().isRunning()) {
        awaitPromotion(gone, giveUpAt);
      }
    }, PROMOTION_CHECK_MS, TimeUnit.MILLISECONDS);
  }

  /**
   * Enters what the departed member journaled and never entered, in the partitions owned here
   * ({@link JournalAdoption}; only when the node persists tasks). The database may be away for a
   * moment: tried again every few seconds, for about a minute.
   */
  private void adoptJournal(Member gone, int attempt) {
    JournalAdoption adoption = journalAdoption.getIfAvailable();
    if (adoption == null || !hazelcast.getLifecycleService().isRunning()) {
      return;
    }
    try {
      int read = adoption.adopt(gone.getUuid().toString());
      if (read > 0) {
        log.info("Read {} pending tasks journaled by departed node {} into their partitions here", read, gone.getUuid());
      }
    } catch (RuntimeException e) {
      if (attempt < ADOPTION_TRIES) {
        log.warn("Could not read the tasks journaled by departed node {} (attempt {}), trying again: {}",
            gone.getUuid(), attempt, e.toString());
        scheduler.schedule(() -> adoptJournal(gone, attempt + 1), ADOPTION_RETRY_MS, TimeUnit.MILLISECONDS);
      } else {
        log.error("Gave up reading the tasks journaled by departed node {}; they enter at the next restart",
            gone.getUuid(), e);
      }
    }
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
