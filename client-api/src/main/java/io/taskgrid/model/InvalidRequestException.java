package io.taskgrid.model;

/**
 * A request was refused before anything was stored or read: {@link #field()} names the offending
 * field or parameter and {@link #reason()} says what is wrong with it. {@link InvalidTaskException}
 * is the kind for a task's own fields; this one is also thrown for the parameters of a query, such
 * as a page's {@code limit}.
 */
public class InvalidRequestException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String field;
  private final String reason;

  public InvalidRequestException(String field, String reason) {
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
