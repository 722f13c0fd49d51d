package io.taskgrid.grid;

import com.hazelcast.aggregation.Aggregator;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import io.taskgrid.model.TaskStatus;
import java.io.IOException;
import java.util.EnumMap;
import java.util.Map;

/** Counts tasks by status in one pass, on the members that own them. */
public final class StatusCounter implements Aggregator<Map.Entry<String, TaskRecord>, Map<TaskStatus, Long>>,
        IdentifiedDataSerializable {
  private static final long serialVersionUID = 1L;

  private long[] counts = new long[TaskStatus.values().length];

  @Override
  public void accumulate(Map.Entry<String, TaskRecord> entry) {
    counts[StoredRecord.status(entry).ordinal()]++;
  }

  @Override
  public void combine(Aggregator aggregator) {
    long[] other = ((StatusCounter) aggregator).counts;
    for (int i = 0; i < counts.length; i++) {
      counts[i] += other[i];
    }
  }

  @Override
  public Map<TaskStatus, Long> aggregate() {
    Map<TaskStatus, Long> result = new EnumMap<>(TaskStatus.class);
    for (TaskStatus status : TaskStatus.values()) {
      result.put(status, counts[status.ordinal()]);
    }
    return result;
  }

  @Override
  public int getFactoryId() {
    return TaskGridSerialization.FACTORY_ID;
  }

  @Override
  public int getClassId() {
    return TaskGridSerialization.STATUS_COUNTER;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeLongArray(counts);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    counts = in.readLongArray();
  }
}
