package io.taskgrid.grid;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import io.taskgrid.grid.Reply.Outcome;
import java.io.IOException;
import java.util.Map;

/**
 * PENDING or RUNNING → CANCELLED at once. A running handler learns of it from the map event (or
 * its next lease renewal) and is interrupted; whatever it reports later is stale. The cancel is in
 * the database before it is acknowledged ({@link WriteThrough}): written behind, a crash of every
 * node within the write delay undid it, and the task ran after the restart although its caller
 * had been told it was cancelled.
 */
public final class CancelTask extends TaskProcessor<Reply> {
  private static final long serialVersionUID = 1L;

  private long now;

  public CancelTask() {}

  public CancelTask(long now) {
    this.now = now;
  }

  @Override
  protected Reply change(Map.Entry<String, TaskRecord> entry) {
    TaskRecord task = entry.getValue();
    if (task == null) {
      return new Reply(Outcome.NOT_FOUND, null);
    }
    if (task.getStatus().isTerminal()) {
      return new Reply(Outcome.TERMINAL, task);
    }
    task.cancel(now);
    entry.setValue(task);
    return new Reply(Outcome.APPLIED, task);
  }

  @Override
  protected boolean writesThrough() {
    return true;
  }

  @Override
  public int getClassId() {
    return TaskGridSerialization.CANCEL;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeLong(now);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    now = in.readLong();
  }
}
