package io.taskgrid.grid;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import java.io.IOException;

/**
 * The running attempt is lost: its node left the cluster, or (with {@code onlyIfLeaseExpired}) its
 * lease ran out. PENDING again at once, the attempt counted; FAILED if it was the last one.
 */
public final class RequeueLost extends AttemptReport {
  private static final long serialVersionUID = 1L;

  private String reason;
  private boolean onlyIfLeaseExpired;

  public RequeueLost() {}

  public RequeueLost(long fence, String node, long now, String reason, boolean onlyIfLeaseExpired) {
    super(fence, node, now);
    this.reason = reason;
    this.onlyIfLeaseExpired = onlyIfLeaseExpired;
  }

  @Override
  protected boolean applies(TaskRecord task) {
    // A renewal may have landed since the reaper looked: then the lease is not expired after all.
    return !onlyIfLeaseExpired || task.getLeaseUntil() < now;
  }

  @Override
  protected void apply(TaskRecord task) {
    task.requeueLost(reason, now);
  }

  @Override
  public int getClassId() {
    return TaskGridSerialization.REQUEUE_LOST;
  }

  @Override
  protected void writeMore(ObjectDataOutput out) throws IOException {
    out.writeString(reason);
    out.writeBoolean(onlyIfLeaseExpired);
  }

  @Override
  protected void readMore(ObjectDataInput in) throws IOException {
    reason = in.readString();
    onlyIfLeaseExpired = in.readBoolean();
  }
}
