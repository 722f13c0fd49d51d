package io.taskgrid.node.dispatch;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.taskgrid.grid.ClaimTask;
import io.taskgrid.grid.PrimaryChanges;
import io.taskgrid.grid.TaskRecord;
import io.taskgrid.grid.TaskStore;
import io.taskgrid.node.config.TaskGridProperties;
import io.taskgrid.node.execution.Worker;
import io.taskgrid.node.hazelcast.NodeIdentity;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Fills this node's free slots, event-driven: it wakes when a task becomes ready here, a slot
 * frees up, or another node publishes a backlog, and otherwise sleeps.
 *
 * <p>Each round it compares its own best ready task with the best waiting task on the {@link
 * LoadBoard}: if another node's outranks it (or this node has none), it asks that node to hand
 * tasks over ({@link HandOverTasks}); otherwise it claims its own best tasks, in one batch of
 * entry processors on the partitions it owns. Either way a claim is an atomic check on the
 * owner, so two nodes never run the same attempt.
 */
@Component
public class Dispatcher {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
  private static final String HANDOVER_EXECUTOR = "taskgrid-handover";
  private static final long HANDOVER_TIMEOUT_MS = 5_000;
  private static final long IDLE_RECHECK_MS = 1_000;

  private final TaskStore store;
  private final PendingIndex pending;
  private final Worker worker;
  private final LoadBoard board;
  private final NodeIdentity identity;
  private final IExecutorService handover;
  private final Clock clock;
  private final long leaseMillis;
  private final Semaphore wakeups = new Semaphore(0);
  private volatile boolean claiming;
  // Set by the dispatcher thread when it sends a local claim, cleared by the claim's callback on a
  // Hazelcast thread: the one piece of state the two share.
  private final AtomicBoolean claimInFlight = new AtomicBoolean();
  // Hand-overs under way hold the read lock; stopHandOvers takes the write lock to wait for them.
  // A leaving member must not claim for another node once it is about to shut down: an answer it
  // cannot send leaves those tasks RUNNING for a node that never got them until their lease runs
  // out (docs/design.md, the graceful-leave row of the failure table).
  private final ReadWriteLock handOvers = new ReentrantReadWriteLock();
  private volatile boolean handingOver = true;
  private Thread thread;
  // taskgrid.starts by how a task came to run here.
  private final Counter startedAtSubmission;
  private final Counter startedByClaim;
  private final Counter startedByHandOver;

  public Dispatcher(TaskStore store, PendingIndex pending, Worker worker, LoadBoard board, NodeIdentity identity,
      HazelcastInstance hazelcast, TaskGridProperties properties, Clock clock, MeterRegistry meters) {
    this.store = store;
    this.pending = pending;
    this.worker = worker;
    this.board = board;
    this.identity = identity;
    this.handover = hazelcast.getExecutorService(HANDOVER_EXECUTOR);
    this.clock = clock;
    this.leaseMillis = properties.lease().toMillis();
    this.startedAtSubmission = starts(meters, "submission");
    this.startedByClaim = starts(meters, "claim");
    this.startedByHandOver = starts(meters, "handover");
    pending.onReady(this::wake);
    worker.onSlotFreed(this::wake);
    board.onRemoteBacklog(this::wake);
  }

  private static Counter starts(MeterRegistry meters, String how) {
    return Counter.builder("taskgrid.starts").tag("how", how)
        .description("attempts started on this node: at submission, by its own claim, or handed over by a busier node")
        .register(meters);
  }

  public synchronized void start() {
    claiming = true;
    thread = new Thread(this::loop, "taskgrid-dispatcher");
    thread.setDaemon(true);
    thread.start();
  }

  /** Stops claiming (the node is leaving); hand-overs to other nodes go on until {@link #stopHandOvers}. */
  public synchronized void stopClaiming() {
    claiming = false;
    signal();
    board.changed();
    if (thread != null) {
      thread.interrupt();
    }
  }

  /**
   * Asks for a dispatch round soon, if one could start a task now; cheap, callable from any
   * thread. A round needs a free slot and a task to start (one ready here, or a backlog on another
   * node), and a local claim waits for the one in flight, which wakes the dispatcher when it lands.
   * Under load every new task and every finished one calls this, and waking the parked dispatcher
   * to find nothing to do cost a context switch each time: about 2 % of three nodes' CPU in
   * workload 1, and 0.65 of the 15 context switches of a REST submission whose task started in its
   * submit processor (docs/performance.md). A slot freed or a task made ready after the checks below
   * calls this again, so no wake-up that matters is skipped.
   */
  public void wake() {
    board.changed();
    if (worker.freeSlots() > 0 && !claimInFlight.get()
        && (pending.peekBest() != null || board.anyBacklog())) {
      signal();
    }
  }

  private void signal() {
    if (wakeups.availablePermits() == 0) {
      wakeups.release();
    }
  }

  private void loop() {
    while (claiming) {
      try {
        wakeups.tryAcquire(IDLE_RECHECK_MS, TimeUnit.MILLISECONDS);
        wakeups.drainPermits();
        dispatchRound();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        // The cluster is changing under us (migration, shutdown): try again on the next wake-up.
        log.warn("Dispatch round failed: {}", e.toString());
      }
    }
  }

  private void dispatchRound() {
    while (claiming && worker.freeSlots() > 0) {
      Candidate localBest = pending.peekBest();
      NodeStatus busier = board.stealTarget(localBest);
      if (busier != null) {
        if (takeFrom(busier) == 0) {
          board.markExhausted(busier);
        }
      } else if (localBest == null || claimLocal() == 0) {
        return;
      }
    }
  }

  /**
   * A new task of this node's partitions, being entered by its submit processor: answers the
   * attempt to start it with, in a slot reserved here, when this node is claiming, has a free slot
   * and nothing ready ranks before the task, here or on a node with a backlog; null to leave it
   * pending. The task then runs without a dispatch round or a claim of its own: one mutation
   * instead of two, and no wait for the dispatcher's thread. Called on the partition thread, so it
   * only reads this node's indexes.
   */
  public PrimaryChanges.StartAtOnce reserveStart(TaskRecord task) {
    long now = clock.millis();
    if (!claiming || !task.isClaimableAt(now)) {
      return null;
    }
    // Its partition plays no part in ranking.
    Candidate candidate = Candidate.of(task, -1);
    Candidate localBest = pending.peekBest();
    if ((localBest != null && Candidate.BEST_FIRST.compare(localBest, candidate) < 0)
        || board.stealTarget(candidate) != null || worker.reserve(1) == 0) {
      return null;
    }
    return new PrimaryChanges.StartAtOnce(identity.id(), now, now + leaseMillis);
  }

  /** Runs a task that {@link #reserveStart} reserved a slot for, now stored RUNNING here. */
  public void startReserved(TaskRecord task) {
    worker.start(task);
    startedAtSubmission.increment();
  }

  /** Frees the slot {@link #reserveStart} reserved for a task that was not stored after all. */
  public void releaseReserved() {
    worker.release(1);
  }

  /**
   * Claims this node's best ready tasks into its free slots; answers how many it tried. The claim
   * is asynchronous, and one is in flight at a time: the slots that free while it travels are
   * filled together by the next one, as soon as it has landed. Under load a claim then starts many
   * tasks, of one partition where they rank the same ({@link PendingIndex#pollBest}), in one entry
   * processor and one backup; when idle a single task is claimed at once.
   */
  private int claimLocal() {
    if (!claimInFlight.compareAndSet(false, true)) {
      return 0; // the claim in flight wakes the dispatcher when it lands
    }
    int reserved = worker.reserve(worker.freeSlots());
    List<Candidate> batch = pending.pollBest(reserved);
    worker.release(reserved - batch.size());
    if (batch.isEmpty()) {
      claimInFlight.set(false);
      return 0;
    }
    CompletionStage<Map<String, TaskRecord>> claim;
    try {
      claim = claimAsync(batch, identity.id());
    } catch (RuntimeException e) {
      // Refused before it left (the member is shutting down): nothing was claimed.
      pending.restore(batch);
      worker.release(batch.size());
      claimInFlight.set(false);
      throw e;
    }
    claim.whenComplete((claimed, error) -> {
      int started = 0;
      try {
        if (error != null) {
          // The cluster is changing under us (migration, shutdown): the tasks stay ready here.
          pending.restore(batch);
          log.warn("Claim failed: {}", error.toString());
        } else {
          for (TaskRecord task : claimed.values()) {
            if (task != null) {
              worker.start(task);
              started++;
            }
          }
          startedByClaim.increment(started);
        }
      } finally {
        worker.release(batch.size() - started);
        claimInFlight.set(false);
        wake();
      }
    });
    return batch.size();
  }

  private int takeFrom(NodeStatus busier) {
    Member member = board.member(busier.id());
    int reserved = member == null ? 0 : worker.reserve(Math.min(worker.freeSlots(), busier.waiting()));
    int started = 0;
    try {
      if (reserved > 0) {
        List<TaskRecord> given = handover.submitToMember(new HandOverTasks(identity.id(), reserved), member)
            .get(HANDOVER_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        for (TaskRecord task : given) {
          worker.start(task);
          started++;
        }
        startedByHandOver.increment(started);
        log.debug("Took {} tasks from node {}", started, busier.address());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // Whatever it claimed for us and we never got runs again when its lease expires.
      log.warn("Hand-over from node {} failed: {}", busier.address(), e.toString());
    } finally {
      worker.release(reserved - started);
    }
    return started;
  }

  /**
   * Runs on a busy node at an idle node's request: claims up to {@code max} of the best ready
   * tasks here for {@code thief}.
   */
  List<TaskRecord> handOver(String thief, int max) {
    if (!handOvers.readLock().tryLock()) {
      return List.of(); // stopping
    }
    try {
      if (!handingOver) {
        return List.of();
      }
      List<Candidate> batch = pending.pollBest(max);
      try {
        return claim(batch, thief);
      } catch (RuntimeException e) {
        pending.restore(batch);
        throw e;
      } finally {
        board.changed();
      }
    } finally {
      handOvers.readLock().unlock();
    }
  }

  /**
   * The node is about to leave the cluster (its drain is over): it claims nothing more for other
   * nodes, and returns once the hand-overs under way have answered, or after the time their askers
   * wait for an answer. What is still pending here moves with its partitions to their next owners.
   */
  public void stopHandOvers() {
    handingOver = false;
    try {
      if (handOvers.writeLock().tryLock(HANDOVER_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
        handOvers.writeLock().unlock();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private List<TaskRecord> claim(List<Candidate> batch, String node) {
    if (batch.isEmpty()) {
      return List.of();
    }
    return claimAsync(batch, node).toCompletableFuture().join().values().stream().filter(Objects::nonNull).toList();
  }

  /**
   * Claims these tasks for {@code node}: one entry processor per partition, checked on the owner;
   * answers once the backups hold the claims, on a Hazelcast thread.
   */
  private CompletionStage<Map<String, TaskRecord>> claimAsync(List<Candidate> batch, String node) {
    Set<String> ids = new LinkedHashSet<>();
    batch.forEach(c -> ids.add(c.id()));
    long now = clock.millis();
    return store.processAll(ids, new ClaimTask(node, now, now + leaseMillis));
  }
}
