package io.taskgrid.grid;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import io.taskgrid.grid.Reply.Outcome;
import java.io.IOException;
import java.util.Map;

/**
 * A change that only the running attempt may make, fenced by that attempt's token: the claim
 * number ({@code fence}) and the node that claimed it. Anything else is {@link Outcome#STALE} and
 * changes nothing, so a node that was paused, cut off or declared dead cannot overwrite what a
 * newer attempt did.
 */
public abstract class AttemptReport extends TaskProcessor<Reply> {
  private static final long serialVersionUID = 1L;

  protected long fence;
  protected String node;
  protected long now;

  protected AttemptReport() {}

  protected AttemptReport(long fence, String node, long now) {
    this.fence = fence;
    this.node = node;
    this.now = now;
  }

  @Override
  protected final Reply change(Map.Entry<String, TaskRecord> entry) {
    TaskRecord task = entry.getValue();
    if (task == null) {
      return new Reply(Outcome.NOT_FOUND, null);
    }
    if (!task.isRunningAttempt(fence, node) || !applies(task)) {
      return new Reply(Outcome.STALE, task);
    }
    apply(task);
    entry.setValue(task);
    return new Reply(Outcome.APPLIED, task);
  }

  /** Extra condition beyond the fence; true unless a subclass says otherwise. */
  protected boolean applies(TaskRecord task) {
    return true;
  }

  /** The transition itself, on the running attempt's record. */
  protected abstract void apply(TaskRecord task);

  @Override
  public final void writeData(ObjectDataOutput out) throws IOException {
    out.writeLong(fence);
    out.writeString(node);
    out.writeLong(now);
    writeMore(out);
  }

  @Override
  public final void readData(ObjectDataInput in) throws IOException {
    fence = in.readLong();
    node = in.readString();
    now = in.readLong();
    readMore(in);
  }

  protected void writeMore(ObjectDataOutput out) throws IOException {}

  protected void readMore(ObjectDataInput in) throws IOException {}
}
