package io.taskgrid.node.persistence;

/** The task database cannot be reached or refused a write; the change it carried did not happen. */
public class TaskStoreUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TaskStoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
