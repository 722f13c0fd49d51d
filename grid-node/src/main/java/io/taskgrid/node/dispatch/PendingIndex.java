package io.taskgrid.node.dispatch;

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
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * The pending tasks of the partitions this node owns, best first: the dispatcher's view, kept
 * current by map events and rebuilt by the {@link Reconciler} after migrations. A task waiting
 * out a retry backoff is held apart until it is due.
 *
 * <p>The index may be briefly wrong (a task claimed elsewhere, a partition just migrated away):
 * that costs a failed claim, never a wrong one, because the claim itself is checked on the owner.
 */
@Component
public class PendingIndex {
  // Guarded by this: map events of different partitions arrive on different Hazelcast event
  // threads while the dispatcher polls; one lock keeps the three structures consistent.
  private final TreeSet<Candidate> ready = new TreeSet<>(Candidate.BEST_FIRST);
  private final Map<String, Candidate> byId = new HashMap<>();
  private final Map<String, Candidate> delayed = new HashMap<>();

  private final List<Runnable> readyListeners = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService scheduler;
  private final Clock clock;

  public PendingIndex(@Qualifier("taskgridScheduler") ScheduledExecutorService scheduler, Clock clock,
      MeterRegistry meters) {
    this.scheduler = scheduler;
    this.clock = clock;
    meters.gauge("taskgrid.tasks.pending", this, PendingIndex::size);
  }

  /** Called when a task becomes ready to claim. */
  public void onReady(Runnable listener) {
    readyListeners.add(listener);
  }

  /** Adds or updates a PENDING task. */
  public void offer(TaskRecord task) {
    Candidate candidate = Candidate.of(task);
    long wait = task.getNotBefore() - clock.millis();
    synchronized (this) {
      removeLocked(task.getId());
      byId.put(candidate.id(), candidate);
      if (wait > 0) {
        delayed.put(candidate.id(), candidate);
      } else {
        ready.add(candidate);
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
      ready.add(candidate);
    }
    readyListeners.forEach(Runnable::run);
  }

  /** Puts back candidates that were taken but could not be claimed for a passing reason. */
  public void restore(List<Candidate> candidates) {
    synchronized (this) {
      for (Candidate c : candidates) {
        if (byId.putIfAbsent(c.id(), c) == null) {
          ready.add(c);
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
    if (old != null) {
      ready.remove(old);
      delayed.remove(id);
    }
  }

  /** Takes the best {@code max} ready tasks out of the index. */
  public synchronized List<Candidate> pollBest(int max) {
    List<Candidate> taken = new ArrayList<>(Math.min(max, ready.size()));
    while (taken.size() < max && !ready.isEmpty()) {
      Candidate c = ready.pollFirst();
      byId.remove(c.id());
      taken.add(c);
    }
    return taken;
  }

  /** The best ready task, or null. */
  public synchronized Candidate peekBest() {
    return ready.isEmpty() ? null : ready.first();
  }

  public synchronized int readyCount() {
    return ready.size();
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
