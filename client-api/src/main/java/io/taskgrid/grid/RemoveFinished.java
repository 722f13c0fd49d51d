package io.taskgrid.grid;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import java.io.IOException;
import java.util.Map;

/**
 * Deletes a task that ended before a cutoff (epoch milliseconds), owner and backup: the retention
 * of a cluster that keeps its tasks in memory only, where the map is all there is. The owner checks
 * again what the query that found the key saw, so the deletion can only ever take a finished task.
 */
public final class RemoveFinished extends TaskProcessor<Boolean> {
  private static final long serialVersionUID = 1L;

  private long cutoff;

  public RemoveFinished() {}

  public RemoveFinished(long cutoff) {
    this.cutoff = cutoff;
  }

  @Override
  protected Boolean change(Map.Entry<String, TaskRecord> entry) {
    if (!holdsTask(entry) || !StoredRecord.finishedBefore(entry, cutoff)) {
      return false;
    }
    entry.setValue(null);
    return true;
  }

  @Override
  public int getClassId() {
    return TaskGridSerialization.REMOVE_FINISHED;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeLong(cutoff);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    cutoff = in.readLong();
  }
}
