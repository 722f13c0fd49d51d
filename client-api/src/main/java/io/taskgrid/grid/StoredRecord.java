package io.taskgrid.grid;

import com.hazelcast.internal.serialization.Data;
import com.hazelcast.query.impl.QueryableEntry;
import io.taskgrid.model.TaskStatus;
import java.util.Map;

/**
 * Reads a task's status and finish time from the bytes its member stores (in-memory format
 * BINARY), without deserializing the record. Predicates, event filters and aggregations that ask
 * only these — the reconciler's and the sweeper's scans, the counts by status, the listeners for
 * cancelled and finished tasks — run over every resident task, and finished tasks stay resident
 * for an hour: deserializing each one made a node's idle CPU grow with the tasks it had finished.
 * Anything else (a client's local entry, another format) is read through {@link Map.Entry#getValue}.
 */
final class StoredRecord {
  /**
   * Where a record's own bytes start in Hazelcast's serialized form: the partition hash and the
   * serializer's type id (4 bytes each), then the IdentifiedDataSerializable header — a boolean
   * and the factory and class ids (Hazelcast 5.7). {@link #of} checks that header before reading.
   */
  static final int BODY = 17;
  /** Hazelcast's serializer type id of DataSerializable, which covers IdentifiedDataSerializable. */
  private static final int DATA_SERIALIZABLE = -2;

  private StoredRecord() {}

  /** The status of the task in {@code entry}. */
  static TaskStatus status(Map.Entry<String, TaskRecord> entry) {
    byte[] bytes = of(entry);
    return bytes != null ? TaskRecord.statusAt(bytes, BODY) : entry.getValue().getStatus();
  }

  /** Whether the task in {@code entry} reached a terminal status before {@code cutoff} (epoch ms). */
  static boolean finishedBefore(Map.Entry<String, TaskRecord> entry, long cutoff) {
    byte[] bytes = of(entry);
    if (bytes == null) {
      TaskRecord task = entry.getValue();
      return task.getStatus().isTerminal() && task.getFinishedAt() < cutoff;
    }
    return TaskRecord.statusAt(bytes, BODY).isTerminal() && TaskRecord.finishedAtAt(bytes, BODY) < cutoff;
  }

  /** The stored bytes of the entry's record, or null when it has none this class can read. */
  static byte[] of(Map.Entry<String, TaskRecord> entry) {
    if (!(entry instanceof QueryableEntry<?, ?> queryable)) {
      return null;
    }
    // Only bytes the entry already holds: an event's entry may hold the record as an object, which
    // getValueData would serialize (1.6 % of three nodes' CPU in workload 1, in the listeners'
    // filters), while getValue answers it as it is. A HeapData answers its own array, no copy.
    Data data = queryable.getValueDataIfPresent();
    byte[] bytes = data != null ? data.toByteArray() : null;
    return isTaskRecord(bytes) ? bytes : null;
  }

  /** Whether {@code bytes} are a TaskRecord in the layout {@link #BODY} describes. */
  static boolean isTaskRecord(byte[] bytes) {
    return bytes != null && bytes.length > BODY
        && BigEndian.getInt(bytes, 4) == DATA_SERIALIZABLE
        && bytes[8] == 1
        && BigEndian.getInt(bytes, 9) == TaskGridSerialization.FACTORY_ID
        && BigEndian.getInt(bytes, 13) == TaskGridSerialization.TASK_RECORD;
  }
}
