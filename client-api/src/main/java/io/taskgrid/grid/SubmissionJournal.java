package io.taskgrid.grid;

/**
 * Where a member writes new tasks synchronously, before the submission is acknowledged, when the
 * task map itself is written behind. A member that persists tasks gives one to its {@link
 * TaskStore}, which writes every submission through it before the submit processors run.
 */
public interface SubmissionJournal {

  /**
   * Stores the tasks that are not stored yet (those that are, stay as they are), in one
   * transaction; returns only once they are stored.
   *
   * @return the ids of the candidates this call inserted (whose rows are the candidates as given);
   *     a journal that cannot tell answers none
   * @throws RuntimeException if they could not be stored: the submission then fails and changes nothing
   */
  java.util.Set<String> recordIfAbsent(java.util.Collection<TaskRecord> candidates);

  /**
   * Says that the submit processors of these ids have run (or failed): a journal that keeps what it
   * just wrote at hand, for the map's load to take instead of reading it back, may drop it now.
   */
  default void entered(java.util.Collection<String> ids) {}
}
