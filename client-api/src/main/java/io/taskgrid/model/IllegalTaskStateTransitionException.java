package io.taskgrid.model;

/** Thrown when code asks for a status change that the transition table of {@link TaskStatus} forbids. */
public class IllegalTaskStateTransitionException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  private final TaskStatus from;
  private final TaskStatus to;

  public IllegalTaskStateTransitionException(TaskStatus from, TaskStatus to) {
    super("a task cannot move from " + from + " to " + to);
    this.from = from;
    this.to = to;
  }

  public TaskStatus from() {
    return from;
  }

  public TaskStatus to() {
    return to;
  }
}
