package io.taskgrid.model;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * What a client asks the grid to run. Immutable and valid once built: {@link Builder#build()}
 * checks every field and throws {@link InvalidTaskException} naming the field otherwise.
 *
 * <pre>{@code
 * TaskSpec spec = TaskSpec.builder()
 *     .id("invoice-42")                 // optional: a random UUID otherwise
 *     .type("echo")                     // the handler that runs it
 *     .payload("hello")                 // opaque UTF-8, at most 1 MiB
 *     .priority(200)                    // 0..255, higher runs first
 *     .deadline(Instant.now().plusSeconds(60))
 *     .maxAttempts(5)
 *     .build();
 * }</pre>
 */
public final class TaskSpec {
  /** Largest payload (and result), in UTF-8 bytes. */
  public static final int MAX_PAYLOAD_BYTES = 1 << 20;
  /** The handler used when none is named. */
  public static final String DEFAULT_TYPE = "sim";
  public static final int DEFAULT_PRIORITY = 0;
  public static final int MIN_PRIORITY = 0;
  public static final int MAX_PRIORITY = 255;
  public static final int DEFAULT_MAX_ATTEMPTS = 3;
  public static final int MAX_ATTEMPTS_LIMIT = 100;
  /** Client-chosen ids: 1 to 128 characters of letters, digits and {@code . _ : -}. */
  public static final Pattern ID_PATTERN = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
  /** Handler type names: 1 to 64 characters of letters, digits and {@code . _ -}. */
  public static final Pattern TYPE_PATTERN = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private final String id;
  private final String type;
  private final byte[] payload;
  private final int priority;
  private final Instant deadline;
  private final int maxAttempts;

  private TaskSpec(String id, String type, byte[] payload, int priority, Instant deadline, int maxAttempts) {
    this.id = id;
    this.type = type;
    this.payload = payload;
    this.priority = priority;
    this.deadline = deadline;
    this.maxAttempts = maxAttempts;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A task of {@code type} with {@code payload} and every other field at its default. */
  public static TaskSpec of(String type, String payload) {
    return builder().type(type).payload(payload).build();
  }

  public String id() {
    return id;
  }

  public String type() {
    return type;
  }

  public String payload() {
    return new String(payload, StandardCharsets.UTF_8);
  }

  /** The payload as UTF-8; the array is shared, do not modify it. */
  public byte[] payloadUtf8() {
    return payload;
  }

  public int priority() {
    return priority;
  }

  /** The deadline, or {@code null} when the task has none. */
  public Instant deadline() {
    return deadline;
  }

  public int maxAttempts() {
    return maxAttempts;
  }

  @Override
  public String toString() {
    return "TaskSpec{id=" + id + ", type=" + type + ", priority=" + priority + ", deadline=" + deadline
        + ", maxAttempts=" + maxAttempts + ", payloadBytes=" + payload.length + "}";
  }

  /** Collects and checks the fields of a {@link TaskSpec}. */
  public static final class Builder {
    private String id;
    private String type = DEFAULT_TYPE;
    private String payload = "";
    private Integer priority;
    private Instant deadline;
    private Integer maxAttempts;

    private Builder() {}

    /** The task's id; leave it unset (or null) for a random UUID. */
    public Builder id(String id) {
      this.id = id;
      return this;
    }

    /** The handler type; null means {@value TaskSpec#DEFAULT_TYPE}. */
    public Builder type(String type) {
      this.type = type == null ? DEFAULT_TYPE : type;
      return this;
    }

    public Builder payload(String payload) {
      this.payload = payload == null ? "" : payload;
      return this;
    }

    /** 0 to 255; null means 0. */
    public Builder priority(Integer priority) {
      this.priority = priority;
      return this;
    }

    public Builder deadline(Instant deadline) {
      this.deadline = deadline;
      return this;
    }

    /** 1 to 100; null means {@value TaskSpec#DEFAULT_MAX_ATTEMPTS}. */
    public Builder maxAttempts(Integer maxAttempts) {
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * Checks every field and builds the spec.
     *
     * @throws InvalidTaskException naming the first field that is wrong, and why
     * @throws PayloadTooLargeException when the payload is over {@link #MAX_PAYLOAD_BYTES}
     */
    public TaskSpec build() {
      String taskId = id == null ? UUID.randomUUID().toString() : id;
      if (!ID_PATTERN.matcher(taskId).matches()) {
        throw new InvalidTaskException("id", "must be 1-128 characters of [A-Za-z0-9._:-]");
      }
      if (!TYPE_PATTERN.matcher(type).matches()) {
        throw new InvalidTaskException("type", "must be 1-64 characters of [A-Za-z0-9._-]");
      }
      int prio = priority == null ? DEFAULT_PRIORITY : priority;
      if (prio < MIN_PRIORITY || prio > MAX_PRIORITY) {
        throw new InvalidTaskException("priority", "must be between 0 and 255, was " + prio);
      }
      int attempts = maxAttempts == null ? DEFAULT_MAX_ATTEMPTS : maxAttempts;
      if (attempts < 1 || attempts > MAX_ATTEMPTS_LIMIT) {
        throw new InvalidTaskException("maxAttempts", "must be between 1 and 100, was " + attempts);
      }
      // A cheap upper bound first, so a huge string is not encoded just to be refused.
      if ((long) payload.length() > MAX_PAYLOAD_BYTES) {
        throw new PayloadTooLargeException("payload", payload.length());
      }
      byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
      if (bytes.length > MAX_PAYLOAD_BYTES) {
        throw new PayloadTooLargeException("payload", bytes.length);
      }
      return new TaskSpec(taskId, type, bytes, prio, deadline, attempts);
    }
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof TaskSpec other)) {
      return false;
    }
    return priority == other.priority
        && maxAttempts == other.maxAttempts
        && id.equals(other.id)
        && type.equals(other.type)
        && java.util.Arrays.equals(payload, other.payload)
        && Objects.equals(deadline, other.deadline);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, type, priority, deadline, maxAttempts);
  }
}
