package io.taskgrid.grid;

/**
 * Where a member writes a new task synchronously, before the submission is acknowledged, when the
 * task map itself is written behind. A member that persists tasks puts one in its Hazelcast user
 * context under {@link #CONTEXT_KEY}; {@link SubmitTask} finds it there.
 */
public interface SubmissionJournal {
  /** Key of the journal in {@code HazelcastInstance.getUserContext()}. */
  String CONTEXT_KEY = "taskgrid.submissionJournal";

  /**
   * Stores the tasks that are not stored yet (those that are, stay as they are), in one
   * transaction; returns only once they are stored.
   *
   * @throws RuntimeException if they could not be stored: the submission then fails and changes nothing
   */
  void recordIfAbsent(java.util.Collection<TaskRecord> candidates);
}
