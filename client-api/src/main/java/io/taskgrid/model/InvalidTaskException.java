package io.taskgrid.model;

/**
 * A task was rejected before anything was stored: {@link #field()} names the offending field and
 * {@link #reason()} says what is wrong with it.
 */
public class InvalidTaskException extends InvalidRequestException {
  private static final long serialVersionUID = 1L;

  public InvalidTaskException(String field, String reason) {
    super(field, reason);
  }
}
