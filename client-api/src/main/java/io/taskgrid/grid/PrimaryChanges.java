package io.taskgrid.grid;

/**
 * What a member does with the tasks it owns as primary when a TaskGrid processor changes one: the
 * node keeps its pending and running indexes with it, and may start a new task there and then.
 * Told on the owner's partition thread, inside the processor, so it must be quick and must not
 * call the grid. A member's node puts its own in the member's user context under {@link
 * #CONTEXT_KEY}; a member without one (still starting, or a plain Hazelcast member) is told
 * nothing and starts nothing.
 */
public interface PrimaryChanges {
  String CONTEXT_KEY = "taskgrid.primaryChanges";

  /** {@code task} is the new state of a task this member owns; it is not to be changed. */
  void changed(TaskRecord task);

  /**
   * Whether this member's node runs {@code task}, a new task it owns, at once: when it has a free
   * slot and nothing waits that ranks before it, it reserves the slot and answers the attempt to
   * enter the task with (then {@link #startReserved} or {@link #releaseReserved} follows, on this
   * thread); otherwise null, and the task enters PENDING for the dispatcher to claim.
   */
  default StartAtOnce reserveStart(TaskRecord task) {
    return null;
  }

  /** The task whose slot {@link #reserveStart} reserved is stored RUNNING on this node: run it. */
  default void startReserved(TaskRecord task) {}

  /** The task whose slot {@link #reserveStart} reserved was not stored: the slot is free again. */
  default void releaseReserved(TaskRecord task) {}

  /** The attempt a new task starts with when its owner runs it at once: node, start time, lease. */
  record StartAtOnce(String node, long now, long leaseUntil) {}
}
