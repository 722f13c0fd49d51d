package io.taskgrid.node.api;

import io.taskgrid.model.InvalidTaskException;
import io.taskgrid.model.TaskSpec;
import io.taskgrid.node.execution.HandlerRegistry;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * A task as submitted over REST. Everything but the fields' JSON types is checked by {@link
 * #toSpec}, so that each error can name its field.
 */
record TaskRequest(String id, String type, String payload, Integer priority, String deadline, Integer maxAttempts) {

  /**
   * The validated spec.
   *
   * @param field prefix of field names in errors ("" for a single task, "[3]." in a batch)
   * @throws InvalidTaskException naming the field and why
   */
  TaskSpec toSpec(String field, HandlerRegistry handlers) {
    TaskSpec spec;
    try {
      spec = TaskSpec.builder()
          .id(id)
          .type(type)
          .payload(payload)
          .priority(priority)
          .deadline(parseDeadline(field))
          .maxAttempts(maxAttempts)
          .build();
    } catch (InvalidTaskException e) {
      throw e.field().equals("payload") && e instanceof io.taskgrid.model.PayloadTooLargeException
          ? new io.taskgrid.model.PayloadTooLargeException(field + "payload", payloadLength())
          : new InvalidTaskException(field + e.field(), e.reason());
    }
    if (!handlers.knows(spec.type())) {
      throw new InvalidTaskException(field + "type",
          "no handler for task type '" + spec.type() + "'; known types: " + handlers.types());
    }
    return spec;
  }

  private long payloadLength() {
    return payload == null ? 0 : payload.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
  }

  private Instant parseDeadline(String field) {
    if (deadline == null) {
      return null;
    }
    try {
      return Instant.parse(deadline);
    } catch (DateTimeParseException e) {
      throw new InvalidTaskException(field + "deadline", "must be an ISO-8601 instant such as 2030-01-01T00:00:00Z");
    }
  }
}
