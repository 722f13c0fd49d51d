package io.taskgrid.node.dispatch;

import com.hazelcast.core.HazelcastInstance;
import io.micrometer.core.instrument.MeterRegistry;
import io.taskgrid.grid.TaskRecord;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * The pending tasks of the partitions this node owns, best first: the dispatcher's view, kept
 * current by the processors' changes ({@link LocalTaskWatcher}) and rebuilt by the {@link
 * Reconciler} after migrations. A task waiting out a retry backoff is held apart until it is due.
 *
 * <p>Ready tasks are kept per partition, with each partition's best in {@code heads}: the best
 * task overall is the best head, and {@link #pollBest} takes it together with the next tasks of
 * its partition that rank the same (same priority and deadline), so that one claim — one entry
 * processor and one backup on that partition — starts several tasks. Between tasks of equal rank
 * that relaxes submission order, never priority or deadline order, and every poll still takes the
 * oldest of the best.
 *
 * <p>The index may be briefly wrong (a task claimed elsewhere, a partition just migrated away):
 * that costs a failed claim, never a wrong one, because the claim itself is checked on the owner.
 */
@Component
public class PendingIndex {
  // Guarded by this: changes of different partitions arrive on different Hazelcast partition
  // threads while the dispatcher polls; one lock, held briefly, keeps the structures consistent.
  private final Map<Integer, TreeSet<Candidate>> readyByPartition = new HashMap<>();
  private final TreeSet<Candidate> heads = new TreeSet<>(Candidate.BEST_FIRST);
  private final Map<String, Candidate> byId = new HashMap<>();
  private final Map<String, Candidate> delayed = new HashMap<>();
  private int readyCount;

  private final List<Runnable> readyListeners = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService scheduler;
  private final Clock clock;
  private final ToIntFunction<String> partitionOf;

  @Autowired
  public PendingIndex(@Qualifier("taskgridScheduler") ScheduledExecutorService scheduler, Clock clock,
      MeterRegistry meters, HazelcastInstance hazelcast) {
    this(scheduler, clock, meters, id -> hazelcast.getPartitionService().getPartition(id).getPartitionId());
  }

  PendingIndex(ScheduledExecutorService scheduler, Clock clock, MeterRegistry meters, ToIntFunction<String> partitionOf) {
    this.scheduler = scheduler;
    this.clock = clock;
    this.partitionOf = partitionOf;
    meters.gauge("taskgrid.tasks.pending", this, PendingIndex::size);
  }

  /** Called when a task becomes ready to claim. */
  public void onReady(Runnable listener) {
    readyListeners.add(listener);
  }

  /** Adds or updates a PENDING task. */
  public void offer(TaskRecord task) {
    Candidate candidate = Candidate.of(task, partitionOf.applyAsInt(task.getId()));
    long wait = task.getNotBefore() - clock.millis();
    synchronized (this) {
      removeLocked(task.getId());
      byId.put(candidate.id(), candidate);
      if (wait > 0) {
        delayed.put(candidate.id(), candidate);
      } else {
        addReady(candidate);
      }
    }
    if (wait > 0) {
      scheduler.schedule(() -> promote(candidate), wait, TimeUnit.MILLISECONDS);
    } else {
      readyListeners.forEach(Runnable::run);
    }
  }

  private void promote(Candidate candidate) {
    synchronized (this) {
      if (!delayed.remove(candidate.id(), candidate)) {
        return; // claimed, cancelled or replaced in the meantime
      }
      addReady(candidate);
    }
    readyListeners.forEach(Runnable::run);
  }

  /** Puts back candidates that were taken but could not be claimed for a passing reason. */
  public void restore(List<Candidate> candidates) {
    synchronized (this) {
      for (Candidate c : candidates) {
        if (byId.putIfAbsent(c.id(), c) == null) {
          addReady(c);
        }
      }
    }
    readyListeners.forEach(Runnable::run);
  }

  public synchronized void remove(String id) {
    removeLocked(id);
  }

  private void removeLocked(String id) {
    Candidate old = byId.remove(id);
    if (old != null && delayed.remove(id) == null) {
      removeReady(old);
    }
  }

  private void addReady(Candidate c) {
    TreeSet<Candidate> partition = readyByPartition.computeIfAbsent(c.partition(), p -> new TreeSet<>(Candidate.BEST_FIRST));
    Candidate head = partition.isEmpty() ? null : partition.first();
    partition.add(c);
    readyCount++;
    if (head == null || Candidate.BEST_FIRST.compare(c, head) < 0) {
      if (head != null) {
        heads.remove(head);
      }
      heads.add(c);
    }
  }

  private void removeReady(Candidate c) {
    TreeSet<Candidate> partition = readyByPartition.get(c.partition());
    if (partition == null || !partition.remove(c)) {
      return;
    }
    readyCount--;
    if (heads.remove(c) && !partition.isEmpty()) {
      heads.add(partition.first());
    }
    if (partition.isEmpty()) {
      readyByPartition.remove(c.partition());
    }
  }

  /**
   * Takes up to {@code max} ready tasks out of the index, best first: the best task, then the next
   * tasks of its partition that rank the same, then the next best, and so on.
   */
  public synchronized List<Candidate> pollBest(int max) {
    List<Candidate> taken = new ArrayList<>(Math.min(max, readyCount));
    while (taken.size() < max && !heads.isEmpty()) {
      Candidate best = heads.pollFirst();
      TreeSet<Candidate> partition = readyByPartition.get(best.partition());
      Candidate next = best;
      do {
        partition.pollFirst();
        byId.remove(next.id());
        readyCount--;
        taken.add(next);
        next = partition.isEmpty() ? null : partition.first();
      } while (next != null && taken.size() < max && next.ranksWith(best));
      if (next == null) {
        readyByPartition.remove(best.partition());
      } else {
        heads.add(next);
      }
    }
    return taken;
  }

  /** The best ready task, or null. */
  public synchronized Candidate peekBest() {
    return heads.isEmpty() ? null : heads.first();
  }

  public synchronized int readyCount() {
    return readyCount;
  }

  /** Ready tasks plus those waiting out a backoff. */
  public synchronized int size() {
    return byId.size();
  }

  /** Drops every task whose id fails {@code keep} (e.g. partitions no longer owned here). */
  public synchronized void retainIf(Predicate<String> keep) {
    List<String> drop = byId.keySet().stream().filter(keep.negate()).toList();
    drop.forEach(this::removeLocked);
  }
}
