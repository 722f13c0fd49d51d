package io.taskgrid.node.persistence;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.taskgrid.grid.SubmissionJournal;
import io.taskgrid.grid.TaskRecord;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes the submissions of all this node's callers together: the caller at the head of the line
 * writes everything that has queued behind it in one transaction, on its own thread, and every
 * caller returns when the transaction holding its tasks has committed. One commit then serves many
 * concurrent REST requests or client batches; the database (a file shared by every node of the
 * machine, for SQLite) sees a few large transactions instead of one small one per request, which is
 * what both SQLite's single writer lock and a PostgreSQL round trip want. A caller that finds the
 * line empty commits at once, with no hand-off to another thread and back (the way LevelDB groups
 * its writers): at a few hundred requests a second per node most commits are of one request, and
 * on 2 busy CPUs each hand-off is a wait for a core.
 *
 * <p>Two meters show what the journal adds to a submission: {@code taskgrid.journal.wait}, how long
 * each caller waited (in line, then in its own transaction) until its tasks were committed or had
 * failed, and {@code taskgrid.journal.transactions}, the tasks each committed transaction carried.
 */
public final class GroupCommitJournal implements SubmissionJournal {
  /** Most tasks in one transaction; what queues beyond waits for the next. */
  static final int MAX_TASKS_PER_COMMIT = 20_000;

  /**
   * A caller's tasks and, once its transaction has ended, the ids it inserted or why it failed.
   * Each caller waits on a condition of its own, so that a commit wakes only its own callers and
   * the next head, not every caller in the line.
   */
  private static final class Waiting {
    final Collection<TaskRecord> tasks;
    final Condition woken;
    boolean done;
    Set<String> inserted;
    RuntimeException failure;

    Waiting(Collection<TaskRecord> tasks, Condition woken) {
      this.tasks = tasks;
      this.woken = woken;
    }
  }

  private final SubmissionJournal database;
  private final Timer waits;
  private final DistributionSummary transactions;
  // The line of callers, the head being the one that writes; guarded by lock. Callers wait until
  // their transaction has ended or they have reached the head.
  private final ReentrantLock lock = new ReentrantLock();
  private final Deque<Waiting> line = new ArrayDeque<>();
  private int writing;

  public GroupCommitJournal(SubmissionJournal database, MeterRegistry meters) {
    this.database = database;
    this.waits = Timer.builder("taskgrid.journal.wait")
        .description("time a submission waited for the journal: in line, then in its transaction")
        .serviceLevelObjectives(WriteTimers.WAIT_BUCKETS)
        .register(meters);
    this.transactions = DistributionSummary.builder("taskgrid.journal.transactions")
        .description("tasks carried by each of the journal's committed transactions")
        .baseUnit("tasks")
        .register(meters);
  }

  @Override
  public Set<String> recordIfAbsent(Collection<TaskRecord> candidates) {
    long start = System.nanoTime();
    try {
      return recordInTurn(candidates);
    } finally {
      waits.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }
  }

  private Set<String> recordInTurn(Collection<TaskRecord> candidates) {
    Waiting mine = new Waiting(candidates, lock.newCondition());
    List<Waiting> group = new ArrayList<>();
    lock.lock();
    try {
      line.addLast(mine);
      while (!mine.done && line.peekFirst() != mine) {
        mine.woken.awaitUninterruptibly();
      }
      if (mine.done) {
        return answer(mine);
      }
      int tasks = 0;
      for (Waiting next : line) {
        if (!group.isEmpty() && tasks + next.tasks.size() > MAX_TASKS_PER_COMMIT) {
          break;
        }
        group.add(next);
        tasks += next.tasks.size();
      }
      writing = group.size();
    } finally {
      lock.unlock();
    }
    commit(group);
    return answer(mine);
  }

  /** This caller's part of its group's outcome. */
  private static Set<String> answer(Waiting waiting) {
    if (waiting.failure != null) {
      throw waiting.failure;
    }
    Set<String> mine = new HashSet<>();
    waiting.tasks.forEach(task -> {
      if (waiting.inserted.contains(task.getId())) {
        mine.add(task.getId());
      }
    });
    return mine;
  }

  @Override
  public void entered(Collection<String> ids) {
    database.entered(ids);
  }

  /** Callers waiting for the next commit (not the one under way). */
  int queued() {
    lock.lock();
    try {
      return line.size() - writing;
    } finally {
      lock.unlock();
    }
  }

  /**
   * One transaction for the group, on the calling thread (the group's head); then every caller of
   * the group hears its outcome, leaves the line, and the next head takes its turn.
   */
  private void commit(List<Waiting> group) {
    Set<String> inserted = null;
    RuntimeException failure = null;
    try {
      List<TaskRecord> all = new ArrayList<>();
      group.forEach(w -> all.addAll(w.tasks));
      inserted = database.recordIfAbsent(all);
      transactions.record(all.size());
    } catch (RuntimeException e) {
      // The transaction rolled back: nothing of the group is stored and every caller hears why.
      failure = e;
    } catch (Error e) {
      failure = new IllegalStateException("the journal's transaction failed: " + e, e);
    }
    lock.lock();
    try {
      for (Waiting waiting : group) {
        waiting.inserted = inserted;
        waiting.failure = failure;
        waiting.done = true;
        line.removeFirst();
        waiting.woken.signal();
      }
      writing = 0;
      Waiting next = line.peekFirst();
      if (next != null) {
        next.woken.signal();
      }
    } finally {
      lock.unlock();
    }
  }
}
