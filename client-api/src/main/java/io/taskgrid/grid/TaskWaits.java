package io.taskgrid.grid;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.taskgrid.model.TaskNotFoundException;
import io.taskgrid.model.TaskView;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The open waits of one store ({@link TaskStore#whenDone}, {@link TaskStore#whenDoneWithin}): each
 * is a future, completed when its task is heard to end ({@link OwnerEndNotices}) and read again.
 * The task is also read once the hearing is in place, so a task that ended before the wait began
 * answers at once.
 */
final class TaskWaits {
  private final IMap<String, TaskRecord> tasks;
  private final OwnerEndNotices hearing;
  /** Futures of open waits, by task id. */
  private final ConcurrentHashMap<String, List<CompletableFuture<TaskView>>> waiters = new ConcurrentHashMap<>();
  /** The waits of {@link #whenDoneWithin} callers (some of {@link #waiters}), for {@link #stopWaiting}. */
  private final Set<CompletableFuture<TaskView>> boundedWaits = ConcurrentHashMap.newKeySet();
  // Set once by stopWaiting, read by every later whenDoneWithin; volatile so no wait misses it.
  private volatile boolean stoppedWaiting;

  TaskWaits(HazelcastInstance hazelcast, IMap<String, TaskRecord> tasks, boolean onMember) {
    this.tasks = tasks;
    this.hearing = new OwnerEndNotices(hazelcast, onMember, this);
  }

  /** See {@link TaskStore#whenDone}. */
  CompletableFuture<TaskView> whenDone(String id) {
    CompletableFuture<TaskView> done = new CompletableFuture<>();
    waiters.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(done);
    CompletionStage<Void> began = hearing.countIn(id, 1);
    began.whenComplete((ready, error) -> {
      if (error != null) {
        done.completeExceptionally(error instanceof CompletionException && error.getCause() != null ? error.getCause() : error);
      } else {
        ended(id);
      }
    });
    done.whenComplete((view, error) -> {
      waiters.computeIfPresent(id, (k, list) -> {
        list.remove(done);
        return list.isEmpty() ? null : list;
      });
      // Only after the wait's beginning took effect, so that its end never overtakes it.
      began.thenRun(() -> hearing.waitEnded(id));
    });
    return done;
  }

  /** See {@link TaskStore#whenDoneWithin}. */
  CompletableFuture<TaskView> whenDoneWithin(String id, Duration wait) {
    CompletableFuture<TaskView> done = whenDone(id);
    boundedWaits.add(done);
    done.whenComplete((view, error) -> boundedWaits.remove(done));
    // Read after the add: either stopWaiting saw this wait, or this sees that it ran.
    if (stoppedWaiting) {
      endEarly(done);
    }
    return done
        .orTimeout(wait.toMillis(), TimeUnit.MILLISECONDS)
        .exceptionallyCompose(error -> error instanceof TimeoutException
            ? getAsync(id)
            : CompletableFuture.failedFuture(error instanceof CompletionException ? error.getCause() : error));
  }

  /** See {@link TaskStore#stopWaiting}. */
  void stopWaiting() {
    stoppedWaiting = true;
    boundedWaits.forEach(TaskWaits::endEarly);
  }

  /** Ends a bounded wait as if its time had run out: it answers with the task as it stands. */
  private static void endEarly(CompletableFuture<TaskView> wait) {
    wait.completeExceptionally(new TimeoutException("no longer waiting"));
  }

  /** How many waits are open. */
  int open() {
    return waiters.values().stream().mapToInt(List::size).sum();
  }

  /** How many removals of this store's waits it has heard ({@link OwnerEndNotices}). */
  long endsHeard() {
    return hearing.heard();
  }

  boolean isWaitingFor(String id) {
    return waiters.containsKey(id);
  }

  /**
   * Reads every waited task again, for when an end may have gone unheard; a read that fails leaves
   * its waits open (they go on, or their time runs out).
   */
  void recheckAll() {
    waiters.keySet().forEach(id -> read(id, false));
  }

  /** Reads the task and completes its waiters if it has ended (or does not exist). */
  void ended(String id) {
    read(id, true);
  }

  /**
   * Counts every open wait in again, then reads its task: for when the counts may be gone or under
   * an old id. A read or count that fails leaves its waits open.
   */
  void recountAll() {
    waiters.forEach((id, open) -> {
      hearing.countIn(id, open.size()).thenRun(() -> read(id, false));
    });
  }

  private void read(String id, boolean failOnError) {
    tasks.getAsync(id).whenComplete((task, error) -> {
      List<CompletableFuture<TaskView>> waiting = waiters.getOrDefault(id, List.of());
      if (error != null) {
        if (failOnError) {
          waiting.forEach(f -> f.completeExceptionally(error));
        }
      } else if (task == null) {
        waiting.forEach(f -> f.completeExceptionally(new TaskNotFoundException(id)));
      } else if (task.getStatus().isTerminal()) {
        TaskView view = task.toView();
        waiting.forEach(f -> f.complete(view));
      }
    });
  }

  /** The task as it stands now, read without blocking the caller. */
  private CompletableFuture<TaskView> getAsync(String id) {
    return tasks.getAsync(id).toCompletableFuture().thenApply(task -> {
      if (task == null) {
        throw new TaskNotFoundException(id);
      }
      return task.toView();
    });
  }
}
