package io.taskgrid.grid;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import io.taskgrid.model.TaskStatus;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Enters a task again as the database holds it: the owner loads the absent key from the map store
 * and sets the value it found, so that the backup holds it too (Hazelcast backs up no read, so a
 * task that is only loaded lives on its owner alone) and the owner's node indexes it ({@link
 * PrimaryChanges}). An attempt the database holds as running on a node that is not a member any
 * more is lost: PENDING again there and then, the attempt counted, as {@link RequeueLost} does.
 *
 * <p>{@link #everyTask} serves a partition lost with all its copies (its owner and backup died
 * together): a task already in memory there was loaded by a read meanwhile, so it is set again
 * as it stands, to be backed up too. {@link #absentTasks} serves rows that may or may not be in
 * memory (a departed member's journal): a resident task is left alone ({@link FreshLoads}).
 */
public final class ReenterFromDatabase extends TaskProcessor<Boolean> {
  private static final long serialVersionUID = 1L;

  /** The members' node ids when sent; on the backup, unused. */
  private Set<String> members = Set.of();
  private long now;
  private boolean onlyAbsent;
  /**
   * The values the owner set, by id: on the owner filled key by key (one processor serves every
   * key of its operation, on its partition thread; so send one per partition), on the backup what
   * it sets.
   */
  private Map<String, TaskRecord> entered;
  private boolean onBackup;

  public ReenterFromDatabase() {}

  private ReenterFromDatabase(Set<String> members, long now, boolean onlyAbsent) {
    this.members = members;
    this.now = now;
    this.onlyAbsent = onlyAbsent;
  }

  /**
   * Enters every task it is sent, resident or not; {@code members} are the node ids of the
   * cluster's members at {@code now}.
   */
  public static ReenterFromDatabase everyTask(Set<String> members, long now) {
    return new ReenterFromDatabase(members, now, false);
  }

  /** Enters the tasks it is sent that were not in memory, and leaves the others as they are. */
  public static ReenterFromDatabase absentTasks(Set<String> members, long now) {
    return new ReenterFromDatabase(members, now, true);
  }

  /** Answers whether it set the task: it exists (in memory or in the database), and was asked for. */
  @Override
  protected Boolean change(Map.Entry<String, TaskRecord> entry) {
    if (onBackup) {
      TaskRecord task = entered.get(entry.getKey());
      if (task != null) {
        entry.setValue(task);
      }
      return task != null;
    }
    TaskRecord task = entry.getValue();
    // Hazelcast loaded an absent key before this ran (or as its value was read).
    boolean loadedNow = FreshLoads.take(entry.getKey());
    if (task == null) {
      return false;
    }
    if (onlyAbsent && !loadedNow) {
      return false;
    }
    if (task.getStatus() == TaskStatus.RUNNING && !members.contains(task.getNode())) {
      task.requeueLost("node " + task.getNode() + " was lost with the partition of attempt " + task.getAttempts(), now);
    }
    entry.setValue(task);
    if (entered == null) {
      entered = new HashMap<>();
    }
    entered.put(task.getId(), task);
    return true;
  }

  /** The backup sets what the owner set: it may not hold the task, nor decide as the owner did. */
  @Override
  protected TaskProcessor<Boolean> forBackup() {
    if (entered == null) {
      return null;
    }
    ReenterFromDatabase backup = new ReenterFromDatabase();
    backup.entered = entered;
    backup.onBackup = true;
    return backup;
  }

  @Override
  public int getClassId() {
    return TaskGridSerialization.REENTER_FROM_DATABASE;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeBoolean(onBackup);
    if (onBackup) {
      TaskRecord.writeAll(out, entered.values());
    } else {
      out.writeLong(now);
      out.writeBoolean(onlyAbsent);
      out.writeInt(members.size());
      for (String member : members) {
        out.writeString(member);
      }
    }
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    onBackup = in.readBoolean();
    if (onBackup) {
      entered = new HashMap<>();
      TaskRecord.readAll(in).forEach(task -> entered.put(task.getId(), task));
      // Read on the partition thread, which loads the absent keys next (see IncomingTasks): the
      // backup's loads answer from these instead of the database.
      IncomingTasks.expect(new HashMap<>(entered));
    } else {
      now = in.readLong();
      onlyAbsent = in.readBoolean();
      int count = in.readInt();
      String[] read = new String[count];
      for (int i = 0; i < count; i++) {
        read[i] = in.readString();
      }
      members = Set.of(read);
    }
  }
}
