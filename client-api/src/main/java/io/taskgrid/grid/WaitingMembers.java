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
 * The members waiting for one task to end, each with how many waits it has open on it: the value
 * of {@value OwnerEndNotices#WAITS_MAP}. Changed only by {@link CountWait} and {@link TakeWaits}.
 */
public final class WaitingMembers implements IdentifiedDataSerializable {
  private final Map<UUID, Integer> waits = new LinkedHashMap<>();

  public WaitingMembers() {}

  /** Adds {@code delta} to {@code member}'s count (never below 0); whether anything changed. */
  boolean add(UUID member, int delta) {
    int before = waits.getOrDefault(member, 0);
    int after = Math.max(0, before + delta);
    if (after == before) {
      return false;
    }
    if (after == 0) {
      waits.remove(member);
    } else {
      waits.put(member, after);
    }
    return true;
  }

  boolean isEmpty() {
    return waits.isEmpty();
  }

  /** The members with a wait open. */
  public Set<UUID> members() {
    return waits.keySet();
  }

  @Override
  public int getFactoryId() {
    return TaskGridSerialization.FACTORY_ID;
  }

  @Override
  public int getClassId() {
    return TaskGridSerialization.WAITING_MEMBERS;
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
