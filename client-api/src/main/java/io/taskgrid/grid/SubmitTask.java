package io.taskgrid.grid;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import io.taskgrid.grid.Reply.Outcome;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Submits the tasks of one partition: absent → PENDING; the same spec again is a no-op; a
 * different spec under the same id is a conflict. Sent with {@code submitToKeys} for all of them,
 * it runs once per key on the owner.
 *
 * <p>With persistence, the member that received the submission has already written the
 * candidates to its {@link SubmissionJournal} (insert-if-absent), so the owner finds a journaled
 * candidate through the map store. It recognises its own candidate by its submission sequence
 * and enters it as new: that also raises the map event that puts it on the owner's pending index.
 */
public final class SubmitTask extends TaskProcessor<Reply> {
  private static final long serialVersionUID = 1L;

  private Map<String, TaskRecord> candidates;

  public SubmitTask() {}

  /** Submits {@code candidates}, which must all belong to one partition, keyed by id. */
  public SubmitTask(Map<String, TaskRecord> candidates) {
    this.candidates = candidates;
  }

  @Override
  public Reply process(Map.Entry<String, TaskRecord> entry) {
    TaskRecord candidate = candidates.get(entry.getKey());
    TaskRecord existing = entry.getValue();
    if (existing == null || existing.isSameSubmissionAs(candidate)) {
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
    TaskRecord.writeAll(out, candidates.values());
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    candidates = new LinkedHashMap<>();
    TaskRecord.readAll(in).forEach(c -> candidates.put(c.getId(), c));
  }
}
