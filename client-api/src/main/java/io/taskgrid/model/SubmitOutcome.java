package io.taskgrid.model;

/** What a submission did. */
public enum SubmitOutcome {
  /** The task is new and now stored as PENDING. */
  CREATED,
  /** A task with this id and the identical spec was already there; nothing changed. */
  EXISTING,
  /** A task with this id exists with a different spec; nothing changed. */
  CONFLICT
}
