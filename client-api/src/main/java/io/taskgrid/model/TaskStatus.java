package io.taskgrid.model;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The lifecycle of a task, with the one table of transitions every state change is checked against.
 *
 * <pre>
 * PENDING ──claim──▶ RUNNING ──complete──▶ COMPLETED
 *    ▲  │               │  └──fail (last attempt)──▶ FAILED
 *    │  │               └──fail (retry) / lost / released──▶ PENDING
 *    │  └──cancel / fail (unknown type)──▶ CANCELLED / FAILED
 * </pre>
 */
public enum TaskStatus {
  /** Waiting for a free slot (or for its retry backoff to pass). */
  PENDING,
  /** Claimed by a node and running there under a lease. */
  RUNNING,
  /** Finished with a result. Terminal. */
  COMPLETED,
  /** Out of attempts, or not runnable at all; carries the last error. Terminal. */
  FAILED,
  /** Cancelled by a user before it ended. Terminal. */
  CANCELLED;

  private static final Map<TaskStatus, Set<TaskStatus>> ALLOWED =
      Map.of(
          PENDING, EnumSet.of(RUNNING, FAILED, CANCELLED),
          RUNNING, EnumSet.of(PENDING, COMPLETED, FAILED, CANCELLED),
          COMPLETED, EnumSet.noneOf(TaskStatus.class),
          FAILED, EnumSet.noneOf(TaskStatus.class),
          CANCELLED, EnumSet.noneOf(TaskStatus.class));

  // values() clones its array on every call, and a record is deserialized at every change of state:
  // 3 % of the bytes the nodes allocated in workload 1 (session 17's allocation profile).
  private static final TaskStatus[] BY_ORDINAL = values();

  /** The status whose {@link #ordinal()} this is, as a serialized record stores it. */
  public static TaskStatus ofOrdinal(int ordinal) {
    return BY_ORDINAL[ordinal];
  }

  /** Whether the task has ended: nothing changes it any more. */
  public boolean isTerminal() {
    return this == COMPLETED || this == FAILED || this == CANCELLED;
  }

  /** Whether a task in this status may move to {@code next}. */
  public boolean canMoveTo(TaskStatus next) {
    return ALLOWED.get(this).contains(next);
  }

  /**
   * Checks a transition against the table.
   *
   * @throws IllegalTaskStateTransitionException when {@code next} is not reachable from this status
   */
  public void checkMoveTo(TaskStatus next) {
    if (!canMoveTo(next)) {
      throw new IllegalTaskStateTransitionException(this, next);
    }
  }
}
