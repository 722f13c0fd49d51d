package io.taskgrid.node.persistence;

import io.taskgrid.grid.SubmissionJournal;
import io.taskgrid.grid.TaskRecord;
import io.taskgrid.node.execution.Worker;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Writes the submissions of all this node's callers together: one writer thread takes whatever
 * has queued since its last commit and writes it in one transaction, and each caller returns when
 * the transaction holding its tasks has committed. One commit then serves many concurrent REST
 * requests or client batches; the database (a file shared by every node of the machine, for
 * SQLite) sees a few large transactions instead of one small one per request, which is what both
 * SQLite's single writer lock and a PostgreSQL round trip want.
 */
public final class GroupCommitJournal implements SubmissionJournal {
  /** Most tasks in one transaction; what queues beyond waits for the next. */
  static final int MAX_TASKS_PER_COMMIT = 20_000;

  /** A caller's tasks and its wait for their commit. */
  private record Waiting(Collection<TaskRecord> tasks, CompletableFuture<Set<String>> committed) {}

  private final SubmissionJournal database;
  // The hand-off between callers and the writer thread, the only state they share.
  private final BlockingQueue<Waiting> queue = new LinkedBlockingQueue<>();

  public GroupCommitJournal(SubmissionJournal database) {
    this.database = database;
    // A daemon: callers still waiting when the JVM stops were never acknowledged.
    Worker.named("taskgrid-journal").newThread(this::loop).start();
  }

  @Override
  public Set<String> recordIfAbsent(Collection<TaskRecord> candidates) {
    Waiting waiting = new Waiting(candidates, new CompletableFuture<>());
    queue.add(waiting);
    try {
      Set<String> inserted = waiting.committed().join();
      // The whole group's: keep this caller's.
      Set<String> mine = new HashSet<>();
      candidates.forEach(c -> {
        if (inserted.contains(c.getId())) {
          mine.add(c.getId());
        }
      });
      return mine;
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException cause ? cause : e;
    }
  }

  @Override
  public void entered(Collection<String> ids) {
    database.entered(ids);
  }

  /** Callers waiting for the next commit (not the one under way). */
  int queued() {
    return queue.size();
  }

  private void loop() {
    List<Waiting> group = new ArrayList<>();
    while (true) {
      try {
        group.add(queue.take());
      } catch (InterruptedException e) {
        return;
      }
      int tasks = group.get(0).tasks().size();
      Waiting next;
      while (tasks < MAX_TASKS_PER_COMMIT && (next = queue.poll()) != null) {
        group.add(next);
        tasks += next.tasks().size();
      }
      commit(group, tasks);
      group.clear();
    }
  }

  private void commit(List<Waiting> group, int tasks) {
    try {
      List<TaskRecord> all = new ArrayList<>(tasks);
      group.forEach(w -> all.addAll(w.tasks()));
      Set<String> inserted = database.recordIfAbsent(all);
      group.forEach(w -> w.committed().complete(inserted));
    } catch (Throwable e) {
      // The transaction rolled back: nothing of the group is stored and every caller hears why.
      group.forEach(w -> w.committed().completeExceptionally(e));
    }
  }
}
