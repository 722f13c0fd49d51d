package io.taskgrid.grid;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import java.io.IOException;
import java.util.Map;

/**
 * PENDING → RUNNING on a node, with a lease. Answers the claimed task (with its payload, for the
 * worker) or null when the task is no longer claimable.
 */
public final class ClaimTask extends TaskProcessor<TaskRecord> {
  private static final long serialVersionUID = 1L;

  private String node;
  private long now;
  private long leaseUntil;

  public ClaimTask() {}

  public ClaimTask(String node, long now, long leaseUntil) {
    this.node = node;
    this.now = now;
    this.leaseUntil = leaseUntil;
  }

  @Override
  protected TaskRecord change(Map.Entry<String, TaskRecord> entry) {
    TaskRecord task = entry.getValue();
    if (task == null || !task.isClaimableAt(now)) {
      return null;
    }
    task.startOn(node, now, leaseUntil);
    entry.setValue(task);
    return task;
  }

  @Override
  public int getClassId() {
    return TaskGridSerialization.CLAIM;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeString(node);
    out.writeLong(now);
    out.writeLong(leaseUntil);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    node = in.readString();
    now = in.readLong();
    leaseUntil = in.readLong();
  }
}
