package io.taskgrid.grid;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import com.hazelcast.query.Predicate;
import java.io.IOException;
import java.util.Map;

/** Matches tasks that reached a terminal status before a given time (epoch milliseconds). */
public final class FinishedBefore implements Predicate<String, TaskRecord>, IdentifiedDataSerializable {
  private static final long serialVersionUID = 1L;

  private long cutoff;

  public FinishedBefore() {}

  public FinishedBefore(long cutoff) {
    this.cutoff = cutoff;
  }

  @Override
  public boolean apply(Map.Entry<String, TaskRecord> entry) {
    return StoredRecord.finishedBefore(entry, cutoff);
  }

  @Override
  public int getFactoryId() {
    return TaskGridSerialization.FACTORY_ID;
  }

  @Override
  public int getClassId() {
    return TaskGridSerialization.FINISHED_BEFORE;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeLong(cutoff);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    cutoff = in.readLong();
  }
}
