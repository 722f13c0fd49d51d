package io.taskgrid.grid;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import java.io.IOException;

/**
 * The running attempt failed. Retryable: PENDING again after {@code retryAt}, or FAILED when no
 * attempts are left. Not retryable (no handler for the type): FAILED at once.
 */
public final class FailAttempt extends AttemptReport {
  private static final long serialVersionUID = 1L;

  private String error;
  private long retryAt;
  private boolean retryable;

  public FailAttempt() {}

  public FailAttempt(long fence, String node, long now, String error, long retryAt, boolean retryable) {
    super(fence, node, now);
    this.error = error;
    this.retryAt = retryAt;
    this.retryable = retryable;
  }

  @Override
  protected void apply(TaskRecord task) {
    if (retryable) {
      task.failAttempt(error, now, retryAt);
    } else {
      task.failForGood(error, now);
    }
  }

  @Override
  public int getClassId() {
    return TaskGridSerialization.FAIL;
  }

  @Override
  protected void writeMore(ObjectDataOutput out) throws IOException {
    out.writeString(error);
    out.writeLong(retryAt);
    out.writeBoolean(retryable);
  }

  @Override
  protected void readMore(ObjectDataInput in) throws IOException {
    error = in.readString();
    retryAt = in.readLong();
    retryable = in.readBoolean();
  }
}
