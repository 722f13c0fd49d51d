package io.taskgrid.grid;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import java.io.IOException;

/** RUNNING → COMPLETED with the handler's result. */
public final class CompleteAttempt extends AttemptReport {
  private static final long serialVersionUID = 1L;

  private String result;

  public CompleteAttempt() {}

  public CompleteAttempt(long fence, String node, long now, String result) {
    super(fence, node, now);
    this.result = result;
  }

  @Override
  protected void apply(TaskRecord task) {
    task.completeWith(result, now);
  }

  @Override
  public int getClassId() {
    return TaskGridSerialization.COMPLETE;
  }

  @Override
  protected void writeMore(ObjectDataOutput out) throws IOException {
    out.writeString(result);
  }

  @Override
  protected void readMore(ObjectDataInput in) throws IOException {
    result = in.readString();
  }
}
