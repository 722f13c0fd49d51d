package io.taskgrid.model;

/**
 * A task was rejected before anything was stored: {@link #field()} names the offending field and
 * {@link #reason()} says what is wrong with it.
 */
public class InvalidTaskException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String field;
  private final String reason;

  public InvalidTaskException(String field, String reason) {
    super(field + ": " + reason);
    this.field = field;
    this.reason = reason;
  }

  public String field() {
    return field;
  }

  public String reason() {
    return reason;
  }
}
