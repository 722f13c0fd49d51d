package io.taskgrid.model;

/** The payload (or a result) is larger than {@link TaskSpec#MAX_PAYLOAD_BYTES}; nothing was stored. */
public class PayloadTooLargeException extends InvalidTaskException {
  private static final long serialVersionUID = 1L;

  public PayloadTooLargeException(String field, long bytes) {
    super(field, "is " + bytes + " bytes of UTF-8, more than the limit of " + TaskSpec.MAX_PAYLOAD_BYTES);
  }
}
