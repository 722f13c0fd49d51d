package io.taskgrid.grid;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import java.util.Map;

/**
 * Changes nothing; sent to one key of a partition after a batch of processors there, it answers
 * only once that partition's backup has caught up. Hazelcast backs up a {@code submitToKeys}
 * batch asynchronously (its operation has no synchronous backups, whatever {@code backup-count}
 * says), while a single-key processor like this one waits for its backup's acknowledgement; the
 * backup applies a partition's operations in the order the owner sent them, so once this one's is
 * acknowledged, the batch's is applied too.
 */
public final class BackupBarrier extends TaskProcessor<Object> {
  private static final long serialVersionUID = 1L;

  @Override
  protected Object change(Map.Entry<String, TaskRecord> entry) {
    return null;
  }

  @Override
  public int getClassId() {
    return TaskGridSerialization.BACKUP_BARRIER;
  }

  @Override
  public void writeData(ObjectDataOutput out) {}

  @Override
  public void readData(ObjectDataInput in) {}
}
