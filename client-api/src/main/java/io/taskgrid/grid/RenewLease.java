package io.taskgrid.grid;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import java.io.IOException;

/** Extends the running attempt's lease; STALE tells the worker its attempt is no longer wanted. */
public final class RenewLease extends AttemptReport {
  private static final long serialVersionUID = 1L;

  private long leaseUntil;

  public RenewLease() {}

  public RenewLease(long fence, String node, long now, long leaseUntil) {
    super(fence, node, now);
    this.leaseUntil = leaseUntil;
  }

  @Override
  protected void apply(TaskRecord task) {
    task.renewLeaseUntil(leaseUntil);
  }

  @Override
  public int getClassId() {
    return TaskGridSerialization.RENEW;
  }

  @Override
  protected void writeMore(ObjectDataOutput out) throws IOException {
    out.writeLong(leaseUntil);
  }

  @Override
  protected void readMore(ObjectDataInput in) throws IOException {
    leaseUntil = in.readLong();
  }
}
