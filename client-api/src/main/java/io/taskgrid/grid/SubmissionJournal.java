package io.taskgrid.grid;

import java.util.Collection;
import java.util.Set;

/**
 * Where a member writes new tasks synchronously, before the submission is acknowledged, when the
 * task map itself is written behind. A member that persists tasks gives one to its {@link
 * TaskStore}, which writes every submission through it before the tasks enter the map.
 */
public interface SubmissionJournal {

  /**
   * Stores the tasks that are not stored yet (those that are, stay as they are), in one
   * transaction; returns once they are stored, with the candidates it stored now (the same objects,
   * compared by identity: of two candidates with one id, only the first is stored). A candidate it
   * leaves out was stored already — or the database could not tell, which the caller must treat the
   * same way.
   *
   * @throws RuntimeException if they could not be stored: the submission then fails and changes nothing
   */
  Set<TaskRecord> recordIfAbsent(Collection<TaskRecord> candidates);
}
