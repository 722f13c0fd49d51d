package io.taskgrid.grid;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import com.hazelcast.query.Predicate;
import io.taskgrid.model.TaskStatus;
import java.io.IOException;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Matches tasks whose status is one of a set, read from the stored bytes ({@link StoredRecord});
 * plain code, no reflection over attribute names.
 */
public final class StatusIn implements Predicate<String, TaskRecord>, IdentifiedDataSerializable {
  private static final long serialVersionUID = 1L;

  private Set<TaskStatus> statuses;

  public StatusIn() {}

  public StatusIn(TaskStatus first, TaskStatus... rest) {
    this.statuses = EnumSet.of(first, rest);
  }

  @Override
  public boolean apply(Map.Entry<String, TaskRecord> entry) {
    return statuses.contains(StoredRecord.status(entry));
  }

  @Override
  public int getFactoryId() {
    return TaskGridSerialization.FACTORY_ID;
  }

  @Override
  public int getClassId() {
    return TaskGridSerialization.STATUS_IN;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    int bits = 0;
    for (TaskStatus status : statuses) {
      bits |= 1 << status.ordinal();
    }
    out.writeInt(bits);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    int bits = in.readInt();
    statuses = EnumSet.noneOf(TaskStatus.class);
    for (TaskStatus status : TaskStatus.values()) {
      if ((bits & (1 << status.ordinal())) != 0) {
        statuses.add(status);
      }
    }
  }
}
