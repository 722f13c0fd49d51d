package io.taskgrid.node.dispatch;

import io.taskgrid.grid.TaskRecord;
import java.util.Comparator;

/**
 * A pending task as the dispatcher ranks it: higher priority first, then earlier deadline, then
 * earlier submission. It carries its partition, so that tasks of one partition can be claimed
 * together.
 */
public record Candidate(String id, int priority, long deadline, long seq, int partition) {
  /** Best first. */
  public static final Comparator<Candidate> BEST_FIRST = Comparator.comparingInt((Candidate c) -> -c.priority)
      .thenComparingLong(Candidate::deadline)
      .thenComparingLong(Candidate::seq)
      .thenComparing(Candidate::id);

  static Candidate of(TaskRecord task, int partition) {
    return new Candidate(task.getId(), task.getPriority(), task.getDeadline(), task.getSeq(), partition);
  }

  /**
   * Whether this should run before {@code other} by priority and deadline alone. Submission order
   * is left out: between nodes it is not worth a network hop.
   */
  public boolean outranks(Candidate other) {
    return other == null
        || priority > other.priority
        || (priority == other.priority && deadline < other.deadline);
  }

  /** Whether neither outranks the other: the same priority and deadline. */
  public boolean ranksWith(Candidate other) {
    return other != null && priority == other.priority && deadline == other.deadline;
  }
}
