package io.taskgrid.grid;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import io.taskgrid.grid.Reply.Outcome;
import java.io.IOException;
import java.util.Map;

/** Absent → PENDING; the same spec again is a no-op; a different spec under the same id is a conflict. */
public final class SubmitTask extends TaskProcessor<Reply> {
  private static final long serialVersionUID = 1L;

  private TaskRecord candidate;

  public SubmitTask() {}

  public SubmitTask(TaskRecord candidate) {
    this.candidate = candidate;
  }

  @Override
  public Reply process(Map.Entry<String, TaskRecord> entry) {
    TaskRecord existing = entry.getValue();
    if (existing == null) {
      entry.setValue(candidate);
      return new Reply(Outcome.CREATED, candidate);
    }
    return new Reply(existing.sameSpecAs(candidate) ? Outcome.EXISTING : Outcome.CONFLICT, existing);
  }

  @Override
  public int getClassId() {
    return TaskGridSerialization.SUBMIT;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    candidate.writeData(out);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    candidate = new TaskRecord();
    candidate.readData(in);
  }
}
