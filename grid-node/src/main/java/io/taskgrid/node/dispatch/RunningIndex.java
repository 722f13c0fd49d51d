package io.taskgrid.node.dispatch;

import io.taskgrid.grid.TaskRecord;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.springframework.stereotype.Component;

/**
 * The RUNNING tasks of the partitions this node owns, wherever they run: what the lease reaper
 * and the membership watcher check, without querying the map.
 */
@Component
public class RunningIndex {
  /** The running attempt of a task: its fencing token and lease. */
  public record Attempt(String taskId, long fence, String node, int attempt, long leaseUntil) {
    static Attempt of(TaskRecord task) {
      return new Attempt(task.getId(), task.getFence(), task.getNode(), task.getAttempts(), task.getLeaseUntil());
    }
  }

  private final ConcurrentHashMap<String, Attempt> attempts = new ConcurrentHashMap<>();

  public void put(TaskRecord task) {
    attempts.put(task.getId(), Attempt.of(task));
  }

  public void remove(String taskId) {
    attempts.remove(taskId);
  }

  /** Removes the attempt only if it is still the one recorded (a newer one stays). */
  public void remove(Attempt attempt) {
    attempts.remove(attempt.taskId(), attempt);
  }

  public Collection<Attempt> all() {
    return attempts.values();
  }

  public int size() {
    return attempts.size();
  }

  public void retainIf(Predicate<String> keep) {
    attempts.keySet().removeIf(keep.negate());
  }
}
