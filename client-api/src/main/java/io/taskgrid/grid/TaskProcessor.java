package io.taskgrid.grid;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import com.hazelcast.query.impl.QueryableEntry;
import java.util.Map;

/**
 * Base of every state change of a task: an entry processor that runs atomically on the partition
 * owner of the task's key. The backup replays the same change ({@link ReplayOnBackup}), so a
 * transition ships this small object to the backup instead of the task's value with its payload;
 * every input that is not deterministic (the time, the node) is therefore a field, fixed before
 * the processor is sent.
 *
 * <p>On the owner, a change is also handed to the member's {@link PrimaryChanges}, there and then
 * on the partition thread: the node's indexes learn of it from the object the processor already
 * holds. A local entry listener did the same job at about a sixth of the nodes' CPU under batch
 * load (each change serialized again into an event, queued to an event thread and deserialized
 * there, payload included).
 *
 * <p>A processor that {@link #writesThrough() writes through} also stores its change in the
 * database on the owner before it takes effect ({@link WriteThrough}); if that fails, the
 * processor fails and the entry keeps its value.
 */
public abstract class TaskProcessor<R>
    implements EntryProcessor<String, TaskRecord, R>, IdentifiedDataSerializable, HazelcastInstanceAware {
  private static final long serialVersionUID = 1L;

  // Set by Hazelcast on the member that runs this processor, before it runs; read on that
  // member's partition thread. The backup's copy is set too, but runs through ReplayOnBackup.
  private transient PrimaryChanges primary;
  // Likewise; null unless this processor writes through and the member persists tasks.
  private transient WriteThrough writeThrough;
  // Likewise; null on a member without a TaskGrid store.
  private transient OwnerEndNotices ends;

  @Override
  public final void setHazelcastInstance(HazelcastInstance hazelcast) {
    primary = (PrimaryChanges) hazelcast.getUserContext().get(PrimaryChanges.CONTEXT_KEY);
    writeThrough = writesThrough() ? (WriteThrough) hazelcast.getUserContext().get(WriteThrough.CONTEXT_KEY) : null;
    ends = (OwnerEndNotices) hazelcast.getUserContext().get(OwnerEndNotices.CONTEXT_KEY);
  }

  /**
   * Runs on the owner: the change; then the value it set is stored in the database if this
   * processor writes through, the member is told of the value it stored, if any, and if that value
   * ended the task, the waits for it are looked up there ({@link OwnerEndNotices}). Hazelcast
   * applies the entry's new value only once this returns, so a store that throws leaves the
   * entry, and its backup, as they were.
   */
  @Override
  public final R process(Map.Entry<String, TaskRecord> entry) {
    try {
      if (primary == null && writeThrough == null && ends == null) {
        return change(entry);
      }
      WatchedEntry watched = new WatchedEntry(entry);
      R result = change(watched);
      if (watched.set && writeThrough != null) {
        writeThrough.storeNow(watched.stored);
      }
      if (watched.stored != null && primary != null) {
        primary.changed(watched.stored);
      }
      if (watched.stored != null && ends != null && watched.stored.getStatus().isTerminal()) {
        ends.taskEnded(entry);
      }
      return result;
    } finally {
      // The map store's note of a key it has just loaded is for the processor that follows the
      // load on that key, and for no later one.
      FreshLoads.forget();
    }
  }

  /**
   * Whether the change must be in the database before it takes effect ({@link WriteThrough}),
   * rather than written behind: for a change whose caller is told it is done.
   */
  protected boolean writesThrough() {
    return false;
  }

  /** The owner member's node, to ask while changing (null on a member without one). */
  protected final PrimaryChanges primary() {
    return primary;
  }

  /**
   * Leaves the entry's value unwritten and tells the owner's node of it as if it had been stored:
   * for a value the map has just loaded, which a write would only queue for the database again.
   */
  protected static void keep(Map.Entry<String, TaskRecord> entry, TaskRecord value) {
    if (entry instanceof WatchedEntry watched) {
      watched.stored = value;
    }
  }

  /**
   * Whether the entry holds a task, told without deserializing it where Hazelcast's entry holds
   * the stored bytes: for a processor that needs to know only that (a backup's submission replay,
   * where reading the value cost a deserialization per task).
   */
  protected static boolean holdsTask(Map.Entry<String, TaskRecord> entry) {
    if (entry instanceof QueryableEntry<?, ?> stored) {
      return stored.getValueDataIfPresent() != null || stored.getValueIfPresent() != null;
    }
    return entry.getValue() != null;
  }

  /** The change itself, on the owner and again on the backup. */
  protected abstract R change(Map.Entry<String, TaskRecord> entry);

  /** The same change on the backup (null: nothing to back up). */
  @Override
  public final EntryProcessor<String, TaskRecord, R> getBackupProcessor() {
    TaskProcessor<R> replayed = forBackup();
    return replayed == null ? null : new ReplayOnBackup<>(replayed);
  }

  /** What the backup replays: this processor, unless a subclass decides otherwise. */
  protected TaskProcessor<R> forBackup() {
    return this;
  }

  @Override
  public final int getFactoryId() {
    return TaskGridSerialization.FACTORY_ID;
  }

  /** An entry that remembers the value the processor stored. */
  private static final class WatchedEntry implements Map.Entry<String, TaskRecord> {
    private final Map.Entry<String, TaskRecord> entry;
    private TaskRecord stored;
    // Whether the processor set the value (kept values are not written again).
    private boolean set;

    WatchedEntry(Map.Entry<String, TaskRecord> entry) {
      this.entry = entry;
    }

    @Override
    public String getKey() {
      return entry.getKey();
    }

    @Override
    public TaskRecord getValue() {
      return entry.getValue();
    }

    @Override
    public TaskRecord setValue(TaskRecord value) {
      stored = value;
      set = true;
      return entry.setValue(value);
    }
  }
}
