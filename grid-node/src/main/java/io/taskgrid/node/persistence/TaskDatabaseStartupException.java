package io.taskgrid.node.persistence;

/** The node cannot start because its task database cannot be opened, reached or migrated. */
public class TaskDatabaseStartupException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String url;

  public TaskDatabaseStartupException(String url, Throwable cause) {
    super("cannot use the task database " + url + ": " + rootMessage(cause), cause);
    this.url = url;
  }

  public String url() {
    return url;
  }

  /** The innermost message: the one that says what is actually wrong. */
  static String rootMessage(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
  }
}
