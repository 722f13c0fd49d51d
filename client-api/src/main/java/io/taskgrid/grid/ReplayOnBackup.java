package io.taskgrid.grid;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.Map;

/**
 * A processor replayed on the backup: the same change, without telling the backup's member, which
 * does not own the task (see {@link TaskProcessor#process}).
 */
public final class ReplayOnBackup<R> implements EntryProcessor<String, TaskRecord, R>, IdentifiedDataSerializable {
  private static final long serialVersionUID = 1L;

  private TaskProcessor<R> processor;

  public ReplayOnBackup() {}

  ReplayOnBackup(TaskProcessor<R> processor) {
    this.processor = processor;
  }

  @Override
  public R process(Map.Entry<String, TaskRecord> entry) {
    try {
      return processor.change(entry);
    } finally {
      // A backup loads the keys it replays too: that load's note must not outlive this replay, to
      // be taken, once this backup is promoted, for a load that the next processor asked for.
      FreshLoads.forget();
    }
  }

  @Override
  public EntryProcessor<String, TaskRecord, R> getBackupProcessor() {
    return null;
  }

  @Override
  public int getFactoryId() {
    return TaskGridSerialization.FACTORY_ID;
  }

  @Override
  public int getClassId() {
    return TaskGridSerialization.REPLAY_ON_BACKUP;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeObject(processor);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    processor = in.readObject();
  }
}
