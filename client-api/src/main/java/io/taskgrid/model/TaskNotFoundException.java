package io.taskgrid.model;

/** No task with this id is known to the grid. */
public class TaskNotFoundException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String taskId;

  public TaskNotFoundException(String taskId) {
    super("no task with id '" + taskId + "'");
    this.taskId = taskId;
  }

  public String taskId() {
    return taskId;
  }
}
