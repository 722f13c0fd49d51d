package io.taskgrid.model;

/**
 * The request clashes with what the grid holds: a task with this id exists with a different spec,
 * or the task has already ended and cannot be cancelled. Nothing was changed.
 */
public class TaskConflictException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String taskId;

  public TaskConflictException(String taskId, String message) {
    super(message);
    this.taskId = taskId;
  }

  public String taskId() {
    return taskId;
  }
}
