package io.taskgrid.model;

/**
 * The payload (or a result) is larger than {@link TaskSpec#MAX_PAYLOAD_BYTES}, or a batch's payloads
 * together are larger than a batch may carry; nothing was stored.
 */
public class PayloadTooLargeException extends InvalidTaskException {
  private static final long serialVersionUID = 1L;

  public PayloadTooLargeException(String field, long bytes) {
    super(field, "is " + bytes + " bytes of UTF-8, more than the limit of " + TaskSpec.MAX_PAYLOAD_BYTES);
  }

  /** A batch whose payloads together are over {@code limit} bytes: what {@code field} names, and why. */
  public PayloadTooLargeException(String field, long bytes, long limit) {
    super(field, "carries " + bytes + " bytes of payload, more than a batch's limit of " + limit + "; split it");
  }
}
