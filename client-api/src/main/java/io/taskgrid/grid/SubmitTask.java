package io.taskgrid.grid;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import io.taskgrid.grid.Reply.Outcome;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Submits the tasks of one partition: absent → PENDING, or RUNNING at once when the owner's node
 * has a free slot for it; the same spec again is a no-op; a different spec under the same id is a
 * conflict. Sent to all of them in one operation ({@link PartitionBatches}), it runs once per key
 * on the owner.
 *
 * <p>With persistence, the member that received the submission has already written the
 * candidates to its {@link SubmissionJournal} (insert-if-absent), so the owner finds a journaled
 * candidate through the map store. It recognises its own candidate by its submission sequence
 * and enters it as new, which puts it on the owner node's pending index ({@link PrimaryChanges}).
 * The candidates whose rows that journal inserted travel marked as such, so that an owner on
 * another member loads them from the processor instead of reading the row back
 * ({@link IncomingTasks}). The backup does not decide again: it enters what the owner entered,
 * and leaves as loaded what the owner left as loaded ({@link #forBackup}).
 */
public final class SubmitTask extends TaskProcessor<Reply> {
  private static final long serialVersionUID = 1L;

  private Map<String, TaskRecord> candidates;
  /** The ids of the candidates whose rows the sending member's journal inserted. */
  private Set<String> journaled = Set.of();
  /** Whether this is the backup's processor, which enters what the owner entered, as it is. */
  private boolean onBackup;
  /** On the backup: the candidates the owner left as loaded, their journaled rows (see {@link #enter}). */
  private Set<String> kept = Set.of();
  // The candidates the owner entered and those of them it kept, for its backup processor; filled
  // and read on the owner's partition thread, in one operation.
  private transient Map<String, TaskRecord> entered;
  private transient Set<String> keptHere;

  public SubmitTask() {}

  /** Submits {@code candidates}, which must all belong to one partition, keyed by id. */
  public SubmitTask(Map<String, TaskRecord> candidates) {
    this(candidates, Set.of());
  }

  /**
   * Submits {@code candidates}, of which those named in {@code journaled} were inserted by this
   * member's journal just before: their rows are the candidates as they are.
   */
  public SubmitTask(Map<String, TaskRecord> candidates, Set<String> journaled) {
    this.candidates = candidates;
    this.journaled = journaled;
  }

  /** The backup's processor: enters {@code entered}, leaving those in {@code kept} as loaded. */
  private static SubmitTask onBackup(Map<String, TaskRecord> entered, Set<String> kept) {
    SubmitTask backup = new SubmitTask();
    backup.candidates = entered;
    backup.kept = kept;
    backup.onBackup = true;
    return backup;
  }

  @Override
  protected Reply change(Map.Entry<String, TaskRecord> entry) {
    TaskRecord candidate = candidates.get(entry.getKey());
    // Not loaded (the key was in the map): what was left for the load goes.
    IncomingTasks.take(entry.getKey());
    if (onBackup) {
      // A kept candidate was just loaded here as it is (IncomingTasks): setting it again would
      // only queue the row for this replica's write-behind, as on the owner.
      if (candidate != null && !(kept.contains(entry.getKey()) && holdsTask(entry))) {
        entry.setValue(candidate);
      }
      return null;
    }
    TaskRecord existing = entry.getValue();
    if (existing == null || existing.isSameSubmissionAs(candidate)) {
      enter(entry, existing, candidate);
      if (entered == null) {
        entered = new LinkedHashMap<>();
      }
      entered.put(candidate.getId(), candidate);
      return new Reply(Outcome.CREATED, candidate);
    }
    return new Reply(existing.sameSpecAs(candidate) ? Outcome.EXISTING : Outcome.CONFLICT, existing);
  }

  /**
   * Enters a new task: RUNNING on the owner's node at once when it has a free slot and nothing
   * waits before the task ({@link PrimaryChanges#reserveStart}), PENDING otherwise — as the
   * journaled row {@code existing} already says, so then the entry is left as loaded and
   * write-behind has nothing to write. The backup enters the same state.
   */
  private void enter(Map.Entry<String, TaskRecord> entry, TaskRecord existing, TaskRecord candidate) {
    PrimaryChanges node = primary();
    PrimaryChanges.StartAtOnce start = node == null ? null : node.reserveStart(candidate);
    if (start == null) {
      if (existing == null) {
        entry.setValue(candidate);
      } else {
        // The journaled row, just loaded (or this submission, entered before): the map holds the
        // task as the database does. Setting it would only queue the same row for write-behind.
        keep(entry, existing);
        if (keptHere == null) {
          keptHere = new HashSet<>();
        }
        keptHere.add(candidate.getId());
      }
      return;
    }
    try {
      candidate.startOn(start.node(), start.now(), start.leaseUntil());
      entry.setValue(candidate);
    } catch (RuntimeException e) {
      node.releaseReserved(candidate);
      throw e;
    }
    node.startReserved(candidate);
  }

  /**
   * The owner's decisions, not a second run: the backup enters exactly the candidates the owner
   * entered (the owner may have found a journaled row the backup would have to read again), and
   * leaves as loaded those the owner kept. None entered, nothing to back up.
   */
  @Override
  protected SubmitTask forBackup() {
    return entered == null || entered.isEmpty() ? null
        : onBackup(entered, keptHere == null ? Set.of() : keptHere);
  }

  @Override
  public int getClassId() {
    return TaskGridSerialization.SUBMIT;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeBoolean(onBackup);
    TaskRecord.writeAll(out, candidates.values());
    // Per candidate: on the owner's processor whether it was journaled, on the backup's whether it was kept.
    Set<String> marked = onBackup ? kept : journaled;
    for (String id : candidates.keySet()) {
      out.writeBoolean(marked.contains(id));
    }
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    onBackup = in.readBoolean();
    candidates = new LinkedHashMap<>();
    TaskRecord.readAll(in).forEach(c -> candidates.put(c.getId(), c));
    // Read on the partition thread, which loads the absent keys next: see IncomingTasks. The
    // backup takes every candidate (the owner entered them); the owner the journaled ones.
    Map<String, TaskRecord> incoming = new HashMap<>();
    Set<String> marked = new HashSet<>();
    for (Map.Entry<String, TaskRecord> candidate : candidates.entrySet()) {
      if (in.readBoolean()) {
        marked.add(candidate.getKey());
      }
      if (onBackup || marked.contains(candidate.getKey())) {
        incoming.put(candidate.getKey(), candidate.getValue());
      }
    }
    if (onBackup) {
      kept = marked;
    } else {
      journaled = marked;
    }
    IncomingTasks.expect(incoming.isEmpty() ? null : incoming);
  }
}
