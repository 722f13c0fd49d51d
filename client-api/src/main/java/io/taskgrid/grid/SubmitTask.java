package io.taskgrid.grid;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import io.taskgrid.grid.Reply.Outcome;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Submits the tasks of one partition: absent → PENDING; the same spec again is a no-op; a
 * different spec under the same id is a conflict. Sent with {@code executeOnKeys} for all of them,
 * it runs once per key on the owner, the same instance each time.
 *
 * <p>When the member persists tasks, the first call writes every candidate to its {@link
 * SubmissionJournal} in one transaction (insert-if-absent, so tasks that exist stay as they are)
 * before any enters the map: an acknowledged task is always stored, and a batch costs one write
 * per partition, not one per task. The backup replica only updates memory.
 */
public final class SubmitTask extends TaskProcessor<Reply> implements HazelcastInstanceAware {
  private static final long serialVersionUID = 1L;

  private Map<String, TaskRecord> candidates;
  private boolean onBackup;
  private transient SubmissionJournal journal;
  // Processors are not shared between threads: one operation runs them for its keys in turn.
  private transient boolean journaled;

  public SubmitTask() {}

  /** Submits {@code candidates}, which must all belong to one partition, keyed by id. */
  public SubmitTask(Map<String, TaskRecord> candidates) {
    this.candidates = candidates;
  }

  /** Submits one task. */
  public static SubmitTask of(TaskRecord candidate) {
    return new SubmitTask(Map.of(candidate.getId(), candidate));
  }

  @Override
  public void setHazelcastInstance(HazelcastInstance hazelcast) {
    journal = (SubmissionJournal) hazelcast.getUserContext().get(SubmissionJournal.CONTEXT_KEY);
  }

  @Override
  public SubmitTask getBackupProcessor() {
    SubmitTask backup = new SubmitTask(candidates);
    backup.onBackup = true;
    return backup;
  }

  @Override
  public Reply process(Map.Entry<String, TaskRecord> entry) {
    TaskRecord candidate = candidates.get(entry.getKey());
    TaskRecord existing = entry.getValue();
    if (existing == null) {
      if (journal != null && !onBackup && !journaled) {
        journal.recordIfAbsent(candidates.values());
        journaled = true;
      }
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
    out.writeInt(candidates.size());
    for (TaskRecord candidate : candidates.values()) {
      candidate.writeData(out);
    }
    out.writeBoolean(onBackup);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    int size = in.readInt();
    List<TaskRecord> read = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      TaskRecord candidate = new TaskRecord();
      candidate.readData(in);
      read.add(candidate);
    }
    candidates = new LinkedHashMap<>();
    read.forEach(c -> candidates.put(c.getId(), c));
    onBackup = in.readBoolean();
  }
}
