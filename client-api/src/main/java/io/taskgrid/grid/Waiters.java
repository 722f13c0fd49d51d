package io.taskgrid.grid;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The members and clients waiting for one task to end (by their Hazelcast ids), each with how many
 * waits it has open on it: the value of {@value OwnerEndNotices#WAITS_MAP}. Changed only by {@link
 * CountWait}, and removed whole when the task ends.
 */
public final class Waiters implements IdentifiedDataSerializable {
  private final Map<UUID, Integer> waits = new LinkedHashMap<>();

  public Waiters() {}

  /** Adds {@code delta} to {@code waiter}'s count (never below 0); whether anything changed. */
  boolean add(UUID waiter, int delta) {
    int before = waits.getOrDefault(waiter, 0);
    int after = Math.max(0, before + delta);
    if (after == before) {
      return false;
    }
    if (after == 0) {
      waits.remove(waiter);
    } else {
      waits.put(waiter, after);
    }
    return true;
  }

  boolean isEmpty() {
    return waits.isEmpty();
  }

  /** The ids of the members and clients with a wait open. */
  public Set<UUID> ids() {
    return waits.keySet();
  }

  @Override
  public int getFactoryId() {
    return TaskGridSerialization.FACTORY_ID;
  }

  @Override
  public int getClassId() {
    return TaskGridSerialization.WAITERS;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeInt(waits.size());
    for (Map.Entry<UUID, Integer> wait : waits.entrySet()) {
      TaskGridSerialization.writeUuid(out, wait.getKey());
      out.writeInt(wait.getValue());
    }
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    int size = in.readInt();
    for (int i = 0; i < size; i++) {
      waits.put(TaskGridSerialization.readUuid(in), in.readInt());
    }
  }
}
